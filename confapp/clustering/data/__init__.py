"""Artefacts built from the seeds by ``confapp.clustering.build_resources``; a package so they ship."""
