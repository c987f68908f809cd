"""Locally signed JWTs that look like Cognito ID tokens, and their verification (the JWT authorizer)."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

KEY_ID = "backoffice-local"


class TokenError(ValueError):
    """A token the authorizer refuses."""


class Signer:
    """An RSA key kept in the state folder, so tokens survive a restart."""

    def __init__(self, state_dir: Path, issuer: str, audience: str) -> None:
        self.issuer = issuer
        self.audience = audience
        path = state_dir / "jwt-signing-key.pem"
        if path.exists():
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        else:
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
            path.chmod(0o600)
        assert isinstance(key, rsa.RSAPrivateKey)
        self._key = key

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        return {"keys": [{**public, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]}

    def issue(
        self,
        role: str,
        *,
        employee_id: str | None = None,
        email: str | None = None,
        name: str | None = None,
        expires_in: int = 8 * 3600,
        subject: str | None = None,
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": subject or f"local-{role}" + (f"-{employee_id}" if employee_id else ""),
            "iss": self.issuer,
            "aud": self.audience,
            "token_use": "id",
            "iat": now,
            "exp": now + expires_in,
            "jti": str(uuid.uuid4()),
            "cognito:groups": [role],
            "cognito:username": f"{role}@local",
            "email": email or f"{role}@example.com",
        }
        if employee_id:
            claims["custom:employee_id"] = employee_id
        if name:
            claims["name"] = name
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": KEY_ID})

    def verify(self, authorization: str | None, audiences: list[str]) -> dict[str, Any]:
        """Check a `Bearer` token as the HTTP API JWT authorizer does; return its claims."""
        if not authorization:
            raise TokenError("no token")
        token = (
            authorization.split(" ", 1)[1] if authorization.lower().startswith("bearer ") else authorization
        )
        try:
            claims = jwt.decode(
                token,
                self._key.public_key(),
                algorithms=["RS256"],
                issuer=self.issuer,
                options={"verify_aud": False, "require": ["exp", "iss", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise TokenError(str(error)) from None
        audience = claims.get("aud") or claims.get("client_id")
        if audience not in audiences:
            raise TokenError("token audience is not this API's client")
        return claims


def api_gateway_claims(claims: dict[str, Any]) -> dict[str, str]:
    """Claims as API Gateway passes them to the function: strings, arrays as `[a b]`."""
    rendered = {}
    for key, value in claims.items():
        if isinstance(value, list):
            rendered[key] = "[" + " ".join(str(item) for item in value) + "]"
        else:
            rendered[key] = str(value)
    return rendered
