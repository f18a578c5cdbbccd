"""`confapp` console entry: gevent patches the standard library before anything else is imported."""

from gevent import monkey

monkey.patch_all()

from confapp.cli import main  # noqa: E402 - must come after patching

if __name__ == "__main__":
    main()
