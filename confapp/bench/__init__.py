"""`confapp bench`: the real server under simulated phones, side by side with a bare Socket.IO relay.

- `command.py`: the click command (`bench_command`), also runnable as `python -m confapp.bench`.
- `runner.py`: orchestration (servers and client processes, the group round, figures, medians).
- `phones.py`: a client process with many python-socketio asyncio clients.
- `baseline.py`: the bare python-socketio relay server (gevent + simple-websocket, no app).
- `stats.py`: percentiles, CPU and memory from /proc.

Results and how to read them: docs/performance.md.
"""
