"""Writes the sandbox's stand-in for confluentinc-kafka-connect-s3-10.0.3.zip (byte-for-byte reproducible).

Confluent's zip is not on any registry this machine can reach, so the sandbox mirror serves this one at the
same path. It is a valid zip laid out like a Confluent Hub package, but it holds NO connector classes: it is
what `pinctl connector plugin create` downloads, checksums, uploads to (moto's) S3 and registers with the MSK
Connect stand-in. Nothing in the sandbox runs it.

usage: python standin_plugin_zip.py OUT.zip
"""
import json
import sys
import zipfile

ROOT = "confluentinc-kafka-connect-s3-10.0.3"
FILES = {
    f"{ROOT}/manifest.json": json.dumps(
        {
            "name": "kafka-connect-s3",
            "version": "10.0.3",
            "title": "Kafka Connect S3 (pinctl sandbox stand-in: no connector classes)",
            "owner": {"username": "confluentinc"},
            "component_types": ["sink"],
            "pinctl_sandbox": "stand-in package; the real one is https://d1i4a15mxbxib1.cloudfront.net/api/plugins/confluentinc/kafka-connect-s3/versions/10.0.3/confluentinc-kafka-connect-s3-10.0.3.zip",
        },
        indent=2,
        sort_keys=True,
    )
    + "\n",
    f"{ROOT}/README-PINCTL-SANDBOX.txt": (
        "pinctl sandbox stand-in for Confluent's kafka-connect-s3 10.0.3 package.\n"
        "It exists so that `pinctl connector plugin create` has a zip to download, verify, upload and register.\n"
        "It contains no jars; the sandbox's MSK Connect stand-in never runs a connector.\n"
    ),
    f"{ROOT}/lib/.keep": "",
}


def main() -> int:
    out = sys.argv[1]
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name in sorted(FILES):
            info = zipfile.ZipInfo(name, date_time=(2021, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, FILES[name])
    return 0


if __name__ == "__main__":
    sys.exit(main())
