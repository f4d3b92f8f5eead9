"""What a request the API cannot answer becomes."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A request the API cannot answer; becomes a JSON error response."""

    def __init__(self, message: str, *, status: int = 400, parameter: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.parameter = parameter

    def as_dict(self) -> dict[str, Any]:
        error: dict[str, Any] = {"status": self.status, "message": self.message}
        if self.parameter:
            error["parameter"] = self.parameter
        return {"error": error}
