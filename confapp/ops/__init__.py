"""Operations: backups, migrations, garbage-collector policy, erasure of what was deleted."""
