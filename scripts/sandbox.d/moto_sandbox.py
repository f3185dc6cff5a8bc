"""moto_server for the pinctl sandbox: same arguments, plus the MSK answers moto lacks.

- MSK clusters are ACTIVE at once (moto leaves them CREATING for ever), and their creationTime carries a zone
  ("...Z"): moto's naive timestamp is rejected by the AWS SDK for JavaScript ("Invalid RFC-3339 date-time value").
- GetBootstrapBrokers answers with the sandbox broker: BootstrapBrokerString = PINCTL_BOOTSTRAP_SERVERS
  (plaintext; the sandbox broker has no IAM/TLS listener, so the SaslIam/Tls fields are absent).
- DescribeCluster(V2) reports the sandbox ZooKeeper (PINCTL_ZOOKEEPER) instead of moto's placeholder.
Both values are read from $PINCTL_SANDBOX_DIR/env.d/*.env at request time, so the Kafka part can come up later.
"""
import glob
import json
import os
import shlex
import sys
from datetime import datetime, timezone
from urllib.parse import unquote

from moto.kafka import models, responses
from moto.kafka.exceptions import NotFoundException
from moto.server import main


def sandbox_env(name: str) -> str | None:
    pattern = os.path.join(os.environ.get("PINCTL_SANDBOX_DIR", "."), "env.d", "*.env")
    for path in sorted(glob.glob(pattern)):
        with open(path, encoding="utf-8") as f:
            for line in f:
                words = shlex.split(line)  # ["export", "K=V"]
                if len(words) == 2 and words[0] == "export" and words[1].startswith(name + "="):
                    return words[1][len(name) + 1 :]
    return None


_init = models.FakeKafkaCluster.__init__


def _init_active(self, *args, **kwargs):
    kwargs["state"] = "ACTIVE"
    _init(self, *args, **kwargs)
    self.creation_time = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


models.FakeKafkaCluster.__init__ = _init_active
models.FakeKafkaCluster.zookeeper_connect_string = property(
    lambda self: sandbox_env("PINCTL_ZOOKEEPER") or self.__dict__.get("_zookeeper"),
    lambda self, value: self.__dict__.__setitem__("_zookeeper", value),
)


def get_bootstrap_brokers(self) -> str:
    path = unquote(self.parsed_url.path)
    arn = path.split("/clusters/", 1)[-1].removesuffix("/bootstrap-brokers")
    if arn not in self.kafka_backend.clusters:
        raise NotFoundException(f"Cluster {arn} not found")
    servers = sandbox_env("PINCTL_BOOTSTRAP_SERVERS")
    return json.dumps({"bootstrapBrokerString": servers} if servers else {})


responses.KafkaResponse.get_bootstrap_brokers = get_bootstrap_brokers

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
