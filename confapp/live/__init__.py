"""The live layer: typed events, their ordered relay to rooms, socket handlers, the WebSocket server."""
