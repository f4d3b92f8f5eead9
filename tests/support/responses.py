"""Reading a response's body whether it was sent whole or streamed (the CSV downloads are streamed)."""


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
