"""`python -m confapp.bench …` runs the same command as `confapp bench …`."""

from confapp.bench.command import bench_command

if __name__ == "__main__":
    bench_command(prog_name="confapp bench")
