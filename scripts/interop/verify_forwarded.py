#!/usr/bin/env python3
"""Verifies, as a provider agency would, a request Rabt forwarded, with an independent RFC 9421
implementation (PyPI's http-message-signatures).

  verify_forwarded.py REQUEST_JSON RABT_PUBLIC_KEY CONSUMER_PUBLIC_KEY

REQUEST_JSON holds {"method", "url", "headers": [[name, value], ...], "body": base64}: the request
exactly as the provider received it, its URL rebuilt from the provider's own address. Two checks:

1. Rabt's countersignature (label "rabt") verifies over that request with Rabt's public key, and
   covers the method, the target URI, exchange-id, exchange-consumer, exchange-consumer-target and
   the consumer's signature with its parameters.
2. The consumer's own signature (the other label) verifies with the consumer's public key over
   the same request with its target URI replaced by Exchange-Consumer-Target, the target the
   consumer addressed at Rabt, which Rabt's signature vouches for.

Exits 0 when both verify; otherwise prints why and exits 1.
"""
import base64
import json
import sys
import warnings

import http_message_signatures as hms
import requests
from cryptography.hazmat.primitives.serialization import load_pem_public_key

RABT_COVERS = (
    "@method", "@target-uri", "exchange-id", "exchange-consumer", "exchange-consumer-target",
)


class PublicKey(hms.HTTPSignatureKeyResolver):
    def __init__(self, pem):
        self.key = load_pem_public_key(pem)

    def resolve_public_key(self, key_id):
        return self.key


def algorithm_of(sig_input_value, label):
    for member in sig_input_value.split(","):
        member = member.strip()
        if member.startswith(label + "="):
            alg = member.split('alg="', 1)[1].split('"', 1)[0]
            return {
                "ed25519": hms.algorithms.ED25519,
                "ecdsa-p256-sha256": hms.algorithms.ECDSA_P256_SHA256,
                "rsa-pss-sha512": hms.algorithms.RSA_PSS_SHA512,
            }[alg]
    raise SystemExit(f"no signature input for {label}")


def verify(method, url, headers, body, label, pem, sig_input):
    request = requests.Request(method, url, data=body or None).prepare()
    request.url = url  # exactly as received: no re-quoting
    request.headers.clear()
    for name, value in headers:
        if name.lower() in request.headers:
            request.headers[name] = request.headers[name] + ", " + value
        else:
            request.headers[name] = value
    verifier = hms.HTTPMessageVerifier(signature_algorithm=algorithm_of(sig_input, label), key_resolver=PublicKey(pem))
    verifier.allow_label_only_selection = True
    return verifier.verify(request, expect_label=label, max_age=None)


def main():
    # The label is chosen on purpose, and the coverage is checked after verification.
    warnings.filterwarnings("ignore", message="Using only a label")
    request_file, rabt_key_file, consumer_key_file = sys.argv[1:4]
    with open(request_file) as handle:
        forwarded = json.load(handle)
    headers = [(name, value) for name, value in forwarded["headers"] if name.lower() != "host"]
    body = base64.b64decode(forwarded["body"])
    fields = {name.lower(): value for name, value in headers}
    sig_input = fields["signature-input"]
    consumer_labels = [m.split("=", 1)[0].strip() for m in sig_input.split(",") if "=(" in m and not m.strip().startswith("rabt=")]
    if len(consumer_labels) != 1:
        raise SystemExit(f"expected one consumer signature beside rabt, found {consumer_labels}")
    consumer = consumer_labels[0]

    with open(rabt_key_file, "rb") as handle:
        rabt_pem = handle.read()
    [result] = verify(forwarded["method"], forwarded["url"], headers, body, "rabt", rabt_pem, sig_input)
    covered = [str(c).split(";")[0].strip('"') for c in result.covered_components]
    missing = [c for c in RABT_COVERS + ("signature", "signature-input") if c not in covered]
    if missing:
        raise SystemExit(f"Rabt's countersignature does not cover {missing}")

    with open(consumer_key_file, "rb") as handle:
        consumer_pem = handle.read()
    verify(forwarded["method"], fields["exchange-consumer-target"], headers, body, consumer, consumer_pem, sig_input)
    print("both signatures verify")


if __name__ == "__main__":
    main()
