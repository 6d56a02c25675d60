#!/usr/bin/env python3
"""Calls a Rabt broker with a request signed by an independent RFC 9421 implementation.

The integration tests run it to prove that Rabt verifies signatures made by another library
(PyPI's http-message-signatures), not only its own. Usage:

  python_client.py BROKER_URL PATH CA CERT KEY SIGNING_KEY KEY_ID ALGORITHM BODY_JSON [RABT_PUBLIC_KEY]

Prints the status, then the Exchange-Error header (or "-"), then the body. With RABT_PUBLIC_KEY
it first verifies Rabt's receipt on the answer with the same library — bound to this request's
method, path, query, digest and signature — and exits 1 when it does not verify.
"""
import secrets
import sys
import warnings

import http_message_signatures as hms
import requests
from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key

ALGORITHMS = {
    "ed25519": hms.algorithms.ED25519,
    "ecdsa-p256-sha256": hms.algorithms.ECDSA_P256_SHA256,
    "rsa-pss-sha512": hms.algorithms.RSA_PSS_SHA512,
}


class KeyResolver(hms.HTTPSignatureKeyResolver):
    def __init__(self, key_id, pem):
        self.key_id = key_id
        self.key = load_pem_private_key(pem, password=None)

    def resolve_private_key(self, key_id):
        assert key_id == self.key_id
        return self.key

    def resolve_public_key(self, key_id):
        return self.key.public_key()


class PublicKey(hms.HTTPSignatureKeyResolver):
    def __init__(self, pem):
        self.key = load_pem_public_key(pem)

    def resolve_public_key(self, key_id):
        return self.key


RECEIPT_COVERS = {
    '"@status"', '"content-digest"', '"exchange-id"', '"@method";req', '"@path";req', '"@query";req',
    '"content-digest";req', '"signature";key="py";req', '"signature-input";key="py";req',
}


def verify_receipt(response, rabt_key_file):
    """Rabt's receipt (label rabt, Ed25519 in the development PKI) verifies over the answer and this request."""
    with open(rabt_key_file, "rb") as handle:
        resolver = PublicKey(handle.read())
    verifier = hms.HTTPMessageVerifier(signature_algorithm=hms.algorithms.ED25519, key_resolver=resolver)
    verifier.allow_label_only_selection = True
    [result] = verifier.verify(response, expect_label="rabt", max_age=None)
    covered = {str(component) for component in result.covered_components}
    missing = RECEIPT_COVERS - covered
    if missing:
        raise SystemExit(f"the receipt does not cover {sorted(missing)}")


def main():
    # The label is chosen on purpose, and the coverage is checked after verification.
    warnings.filterwarnings("ignore", message="Using only a label")
    broker, path, ca, cert, key, signing_key, key_id, algorithm, body = sys.argv[1:10]
    rabt_key = sys.argv[10] if len(sys.argv) > 10 else None
    payload = body.encode()
    request = requests.Request("POST", broker + path, data=payload).prepare()
    request.headers["Content-Type"] = "application/json"
    with open(signing_key, "rb") as handle:
        resolver = KeyResolver(key_id, handle.read())
    signer = hms.HTTPMessageSigner(signature_algorithm=ALGORITHMS[algorithm], key_resolver=resolver)
    signer.sign(
        request,
        key_id=key_id,
        label="py",
        nonce=secrets.token_urlsafe(16),
        covered_component_ids=("@method", "@target-uri"),
        body=payload,  # the library adds Content-Digest and covers it
    )
    with requests.Session() as session:
        response = session.send(request, verify=ca, cert=(cert, key), timeout=30)
    if rabt_key and response.status_code < 400:
        verify_receipt(response, rabt_key)
    print(response.status_code)
    print(response.headers.get("Exchange-Error", "-"))
    print(response.text)


if __name__ == "__main__":
    main()
