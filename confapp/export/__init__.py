"""Word exports: gathering and building (`build`), serving them (`serve`), the child process (`worker`).

Kept free of imports so that `python -m confapp.export.worker` does not load the worker twice.
"""
