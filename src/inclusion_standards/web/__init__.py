"""`nis serve`: the web page and the HTTP API (the optional `web` extra).

`app.create_app(Settings(...))` builds the application; `server.serve` runs it on uvicorn.
Nothing here is imported by the other commands, so their start-up time does not depend on
the web stack.
"""
