"""A minimal relay ASGI app: messages from /w go to the reader on /r. For comparing ASGI servers."""

readers: dict[str, object] = {}


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            m = await receive()
            if m["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif m["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "websocket":
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    if scope["path"] == "/r":
        readers["r"] = send
        while (await receive())["type"] != "websocket.disconnect":
            pass
        readers.pop("r", None)
        return
    while True:
        m = await receive()
        if m["type"] == "websocket.disconnect":
            return
        target = readers.get("r")
        if target is not None:
            if m.get("bytes") is not None:
                await target({"type": "websocket.send", "bytes": m["bytes"]})
            else:
                await target({"type": "websocket.send", "text": m["text"]})
