"""A local stand-in for the MSK Connect API (service `kafkaconnect`), for the pinctl sandbox.

It speaks the real service's REST-JSON protocol for the calls pinctl makes, so the AWS SDK (and `aws
kafkaconnect`) reach it through AWS_ENDPOINT_URL_KAFKACONNECT. It keeps the control plane honest:
custom plugins are checked against the zip in (moto's) S3, connectors against their plugin, role, bucket
and brokers, and states move CREATING -> ACTIVE / RUNNING (or CREATE_FAILED / FAILED with a reason) after a
short delay, DELETING -> gone likewise. When a real Kafka Connect worker is there (sandbox part 45-connect-worker:
--worker-url, else CONNECT_WORKER_PORT from the environment), an S3 sink connector is also created on it, with the
sandbox S3 sink (connect/s3sink) in place of Confluent's class, pointed at moto: records really reach S3, and the
connector's state follows the worker's status. Without a worker nothing is copied from Kafka to S3.
See README.md in this folder.

usage: python msk_connect_standin.py --port N --state FILE --aws-endpoint URL [--delay SECONDS] [--worker-url URL]
"""
import argparse
import base64
import hashlib
import json
import os
import re
import socket
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import boto3
from botocore.exceptions import ClientError

ACCOUNT = "123456789012"  # moto's default account: the role ARNs it hands out carry it
CONFLUENT_S3_SINK = "io.confluent.connect.s3.S3SinkConnector"
SANDBOX_S3_SINK = "dev.pinctl.sandbox.connect.SandboxS3SinkConnector"


class Worker:
    """The sandbox's real Kafka Connect worker (REST API), when there is one."""

    def __init__(self, url: str | None):
        self.url = (url or "").rstrip("/")

    def _call(self, method: str, path: str, body: dict | None = None, timeout: float = 10) -> tuple[int, dict | None]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method, headers={"Content-Type": "application/json", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as r:
                raw = r.read()
                return r.status, (json.loads(raw) if raw else None)
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw) if raw else None
            except json.JSONDecodeError:
                return e.code, {"message": raw.decode(errors="replace")}

    def available(self) -> bool:
        if not self.url:
            return False
        try:
            return self._call("GET", "/connectors", timeout=2)[0] == 200
        except OSError:
            return False

    def put_config(self, name: str, config: dict) -> str | None:
        """Create (or update) the connector; None when the worker took it, else its error message."""
        try:
            status, body = self._call("PUT", f"/connectors/{urllib.request.quote(name, safe='')}/config", config, timeout=30)
        except OSError as e:
            return f"Kafka Connect worker unreachable: {e}"
        if status in (200, 201):
            return None
        lines = ((body or {}).get("message") or f"HTTP {status}").strip().splitlines()
        return " ".join(line.strip() for line in lines if line.strip() and not line.startswith("You can also find"))

    def delete(self, name: str) -> None:
        try:
            self._call("DELETE", f"/connectors/{urllib.request.quote(name, safe='')}", timeout=30)
        except OSError:
            pass

    def failure(self, name: str) -> str | None:
        """The first failure of the connector or one of its tasks (its cause's line), None when none or unknown."""
        try:
            status, body = self._call("GET", f"/connectors/{urllib.request.quote(name, safe='')}/status", timeout=3)
        except OSError:
            return None
        if status != 200 or not body:
            return None
        for item in [body.get("connector") or {}] + list(body.get("tasks") or []):
            if item.get("state") == "FAILED":
                lines = [line.strip() for line in (item.get("trace") or "").splitlines() if line.strip()]
                causes = [line[len("Caused by: "):] for line in lines if line.startswith("Caused by: ")]
                where = f"task {item['id']}" if "id" in item else "connector"
                return f"Kafka Connect {where} failed: " + (causes[-1] if causes else lines[0] if lines else "no trace")
        return None


class ApiError(Exception):
    def __init__(self, status: int, kind: str, message: str):
        super().__init__(message)
        self.status, self.kind, self.message = status, kind, message


def not_found(what: str) -> ApiError:
    return ApiError(404, "NotFoundException", f"{what} not found.")


def bad_request(message: str) -> ApiError:
    return ApiError(400, "BadRequestException", message)


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Store:
    """All resources, persisted as one JSON file (atomic rename) so a restarted stand-in keeps them."""

    def __init__(self, path: str, delay: float, aws_endpoint: str, region: str, worker: Worker):
        self.path, self.delay, self.region, self.aws_endpoint, self.worker = path, delay, region, aws_endpoint, worker
        self.lock = threading.RLock()
        session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region)
        self.s3 = session.client("s3", endpoint_url=aws_endpoint)
        self.iam = session.client("iam", endpoint_url=aws_endpoint)
        self.data = {"plugins": {}, "connectors": {}, "workerConfigurations": {}}
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                self.data.update(json.load(f))

    def save(self) -> None:
        directory = os.path.dirname(self.path) or "."
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".state.")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(self.data, f, indent=1)
        os.replace(tmp, self.path)

    def arn(self, kind: str, name: str) -> str:
        return f"arn:aws:kafkaconnect:{self.region}:{ACCOUNT}:{kind}/{name}/{uuid.uuid4()}-{int(time.time()) % 10}"

    # State machine: a resource carries the state it will settle in and when; reads apply it.
    def settle(self) -> None:
        now = time.time()
        changed = False
        for collection in ("plugins", "connectors"):
            for arn, item in list(self.data[collection].items()):
                if item.get("settleAt") and now >= item["settleAt"]:
                    if item["next"] == "GONE":
                        del self.data[collection][arn]
                    else:
                        item["state"] = item["next"]
                        item["stateDescription"] = item.pop("pendingReason", None)
                    item.pop("settleAt", None)
                    changed = True
        if changed:
            self.save()

    # ---- custom plugins
    def create_plugin(self, body: dict) -> dict:
        name = body.get("name") or ""
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}", name):
            raise bad_request("name must be 1-128 characters of letters, digits, '.', '_' and '-'.")
        if body.get("contentType") not in ("ZIP", "JAR"):
            raise bad_request("contentType must be ZIP or JAR.")
        location = (body.get("location") or {}).get("s3Location") or {}
        bucket_arn, key = location.get("bucketArn", ""), location.get("fileKey", "")
        if not bucket_arn.startswith("arn:aws:s3:::") or not key:
            raise bad_request("location.s3Location needs bucketArn (arn:aws:s3:::bucket) and fileKey.")
        with self.lock:
            self.settle()
            if any(p["name"] == name for p in self.data["plugins"].values()):
                raise ApiError(409, "ConflictException", f"A custom plugin with name {name} already exists.")
            bucket = bucket_arn.split(":::", 1)[1]
            outcome, reason, md5, size = "ACTIVE", None, None, None
            try:
                content = self.s3.get_object(Bucket=bucket, Key=key, **({"VersionId": location["objectVersion"]} if location.get("objectVersion") else {}))["Body"].read()
                md5, size = hashlib.md5(content).hexdigest(), len(content)
                if body["contentType"] == "ZIP" and not content.startswith(b"PK\x03\x04"):
                    outcome, reason = "CREATE_FAILED", {"code": "INVALID_PLUGIN_FILE", "message": "The plugin file is not a valid ZIP file."}
            except ClientError as e:
                outcome = "CREATE_FAILED"
                reason = {"code": "S3_OBJECT_NOT_FOUND", "message": f"Unable to read s3://{bucket}/{key}: {e.response.get('Error', {}).get('Code', 'error')}."}
            arn = self.arn("custom-plugin", name)
            now = time.time()
            self.data["plugins"][arn] = {
                "name": name,
                "arn": arn,
                "description": body.get("description"),
                "contentType": body["contentType"],
                "location": {"s3Location": {k: v for k, v in location.items() if v}},
                "fileMd5": md5,
                "fileSize": size,
                "created": now,
                "state": "CREATING",
                "next": outcome,
                "pendingReason": reason,
                "settleAt": now + self.delay,
            }
            self.save()
            return {"customPluginArn": arn, "customPluginState": "CREATING", "name": name, "revision": 1}

    def plugin_view(self, p: dict, summary: bool) -> dict:
        revision = {
            "contentType": p["contentType"],
            "creationTime": iso(p["created"]),
            "description": p.get("description"),
            "location": p["location"],
            "revision": 1,
            **({"fileDescription": {"fileMd5": p["fileMd5"], "fileSize": p["fileSize"]}} if p.get("fileMd5") else {}),
        }
        view = {
            "creationTime": iso(p["created"]),
            "customPluginArn": p["arn"],
            "customPluginState": p["state"],
            "description": p.get("description"),
            "latestRevision": revision,
            "name": p["name"],
        }
        if not summary and p.get("stateDescription"):
            view["stateDescription"] = p["stateDescription"]
        return {k: v for k, v in view.items() if v is not None}

    def list_plugins(self, prefix: str) -> dict:
        with self.lock:
            self.settle()
            items = [self.plugin_view(p, True) for p in self.data["plugins"].values() if p["name"].startswith(prefix)]
        return {"customPlugins": sorted(items, key=lambda p: p["name"])}

    def plugin(self, arn: str) -> dict:
        with self.lock:
            self.settle()
            p = self.data["plugins"].get(arn)
            if not p:
                raise not_found(f"Custom plugin {arn}")
            return p

    def delete_plugin(self, arn: str) -> dict:
        with self.lock:
            p = self.plugin(arn)
            if any(c["plugin"]["customPluginArn"] == arn for c in self.data["connectors"].values()):
                raise bad_request(f"Custom plugin {p['name']} is used by a connector.")
            p.update(state="DELETING", next="GONE", settleAt=time.time() + self.delay)
            self.save()
            return {"customPluginArn": arn, "customPluginState": "DELETING"}

    # ---- worker configurations
    def create_worker_configuration(self, body: dict) -> dict:
        name = body.get("name") or ""
        content = body.get("propertiesFileContent") or ""
        try:
            base64.b64decode(content, validate=True)
        except ValueError:
            raise bad_request("propertiesFileContent must be base64-encoded.")
        with self.lock:
            if any(w["name"] == name for w in self.data["workerConfigurations"].values()):
                raise ApiError(409, "ConflictException", f"A worker configuration with name {name} already exists.")
            arn = f"arn:aws:kafkaconnect:{self.region}:{ACCOUNT}:worker-configuration/{name}/{uuid.uuid4()}-1"
            self.data["workerConfigurations"][arn] = {"name": name, "arn": arn, "content": content, "description": body.get("description"), "created": time.time()}
            self.save()
        return {"creationTime": iso(time.time()), "latestRevision": {"creationTime": iso(time.time()), "revision": 1}, "name": name, "workerConfigurationArn": arn, "workerConfigurationState": "ACTIVE"}

    def worker_view(self, w: dict, with_content: bool) -> dict:
        revision = {"creationTime": iso(w["created"]), "revision": 1, **({"propertiesFileContent": w["content"]} if with_content else {})}
        return {"creationTime": iso(w["created"]), "latestRevision": revision, "name": w["name"], "workerConfigurationArn": w["arn"], "workerConfigurationState": "ACTIVE"}

    # ---- connectors
    def create_connector(self, body: dict) -> dict:
        for field in ("capacity", "connectorConfiguration", "connectorName", "kafkaCluster", "kafkaClusterClientAuthentication",
                      "kafkaClusterEncryptionInTransit", "kafkaConnectVersion", "plugins", "serviceExecutionRoleArn"):
            if not body.get(field):
                raise bad_request(f"{field} is required.")
        name = body["connectorName"]
        if len(body["plugins"]) != 1:
            raise bad_request("Exactly one plugin is required.")
        plugin_arn = body["plugins"][0].get("customPlugin", {}).get("customPluginArn", "")
        cluster = body["kafkaCluster"].get("apacheKafkaCluster") or {}
        vpc = cluster.get("vpc") or {}
        if not cluster.get("bootstrapServers") or not vpc.get("subnets"):
            raise bad_request("kafkaCluster.apacheKafkaCluster needs bootstrapServers and vpc.subnets.")
        capacity = body["capacity"]
        if bool(capacity.get("autoScaling")) == bool(capacity.get("provisionedCapacity")):
            raise bad_request("capacity needs exactly one of autoScaling and provisionedCapacity.")
        with self.lock:
            self.settle()
            if any(c["connectorName"] == name for c in self.data["connectors"].values()):
                raise ApiError(409, "ConflictException", f"A connector with name {name} already exists.")
            plugin = self.data["plugins"].get(plugin_arn)
            if not plugin:
                raise bad_request(f"Custom plugin {plugin_arn} does not exist.")
            if plugin["state"] != "ACTIVE":
                raise bad_request(f"Custom plugin {plugin['name']} is {plugin['state']}, not ACTIVE.")
            role = body["serviceExecutionRoleArn"]
            try:
                self.iam.get_role(RoleName=role.rsplit("/", 1)[-1])
            except ClientError:
                raise bad_request(f"The service execution role {role} does not exist.")
            outcome, reason = "RUNNING", self.runtime_problem(body)
            if reason:
                outcome = "FAILED"
            on_worker = False
            if not reason and body["connectorConfiguration"].get("connector.class") == CONFLUENT_S3_SINK and self.worker.available():
                problem = self.worker.put_config(name, self.worker_config(body["connectorConfiguration"]))
                if problem:
                    outcome, reason = "FAILED", {"code": "InvalidInput.InvalidConnectorConfiguration", "message": f"The connector configuration is invalid. Message: {problem}"}
                else:
                    on_worker = True
            arn = self.arn("connector", name)
            now = time.time()
            stored = {k: body.get(k) for k in ("capacity", "connectorConfiguration", "connectorDescription", "connectorName", "kafkaCluster",
                                              "kafkaClusterClientAuthentication", "kafkaClusterEncryptionInTransit", "kafkaConnectVersion",
                                              "serviceExecutionRoleArn", "workerConfiguration")}
            stored.update(arn=arn, plugin=body["plugins"][0]["customPlugin"], created=now, version=uuid.uuid4().hex[:14].upper(),
                          state="CREATING", next=outcome, pendingReason=reason, settleAt=now + self.delay, worker=on_worker)
            self.data["connectors"][arn] = stored
            self.save()
            return {"connectorArn": arn, "connectorName": name, "connectorState": "CREATING"}

    def worker_config(self, config: dict) -> dict:
        """The MSK connector configuration as the sandbox worker runs it: the sandbox S3 sink (same keys, same object
        layout) in place of Confluent's class, writing to moto with the sandbox's credentials."""
        return {**config, "connector.class": SANDBOX_S3_SINK, "store.url": self.aws_endpoint,
                "aws.access.key.id": "testing", "aws.secret.access.key": "testing"}

    def runtime_problem(self, body: dict) -> dict | None:
        """What would make a real connector FAIL soon after creation, checked against the sandbox."""
        config = body["connectorConfiguration"]
        bucket = config.get("s3.bucket.name")
        if not bucket:
            return {"code": "InvalidInput.InvalidConnectorConfiguration", "message": 'The connector configuration is invalid. Message: Missing required configuration "s3.bucket.name"'}
        try:
            self.s3.head_bucket(Bucket=bucket)
        except ClientError:
            return {"code": "UnknownError", "message": f"The S3 bucket {bucket} does not exist or the service execution role cannot reach it."}
        servers = body["kafkaCluster"]["apacheKafkaCluster"]["bootstrapServers"].split(",")
        for server in servers:
            host, _, port = server.strip().rpartition(":")
            try:
                with socket.create_connection((host.strip("[]"), int(port)), timeout=2):
                    return None
            except (OSError, ValueError):
                continue
        return {"code": "UnknownError", "message": f"Unable to connect to the bootstrap servers ({','.join(servers)}): check the security group and the brokers' listeners."}

    def connector_view(self, c: dict, summary: bool) -> dict:
        state, description = c["state"], c.get("stateDescription")
        if c.get("worker") and state == "RUNNING":
            failure = self.worker.failure(c["connectorName"])
            if failure:
                state, description = "FAILED", {"code": "UnknownError", "message": failure}
        cap = c["capacity"]
        capacity = {}
        if cap.get("provisionedCapacity"):
            capacity["provisionedCapacity"] = cap["provisionedCapacity"]
        if cap.get("autoScaling"):
            capacity["autoScaling"] = {**cap["autoScaling"], "maxAutoscalingTaskCount": cap["autoScaling"].get("maxWorkerCount", 1) * 4}
        view = {
            "capacity": capacity,
            "connectorArn": c["arn"],
            "connectorDescription": c.get("connectorDescription"),
            "connectorName": c["connectorName"],
            "connectorState": state,
            "creationTime": iso(c["created"]),
            "currentVersion": c["version"],
            "kafkaCluster": c["kafkaCluster"],
            "kafkaClusterClientAuthentication": c["kafkaClusterClientAuthentication"],
            "kafkaClusterEncryptionInTransit": c["kafkaClusterEncryptionInTransit"],
            "kafkaConnectVersion": c["kafkaConnectVersion"],
            "plugins": [{"customPlugin": c["plugin"]}],
            "serviceExecutionRoleArn": c["serviceExecutionRoleArn"],
            "workerConfiguration": c.get("workerConfiguration"),
        }
        if not summary:
            view["connectorConfiguration"] = c["connectorConfiguration"]
            if description:
                view["stateDescription"] = description
        return {k: v for k, v in view.items() if v is not None}

    def connector(self, arn: str) -> dict:
        with self.lock:
            self.settle()
            c = self.data["connectors"].get(arn)
            if not c:
                raise not_found(f"Connector {arn}")
            return c

    def delete_connector(self, arn: str, version: str | None) -> dict:
        with self.lock:
            c = self.connector(arn)
            if version and version != c["version"]:
                raise bad_request(f"currentVersion {version} does not match the connector's current version {c['version']}.")
            if c.get("worker"):
                self.worker.delete(c["connectorName"])
                c["worker"] = False
            c.update(state="DELETING", next="GONE", settleAt=time.time() + self.delay)
            self.save()
            return {"connectorArn": arn, "connectorState": "DELETING"}


ROUTES = [
    ("GET", r"/v1/custom-plugins", "list_plugins"),
    ("POST", r"/v1/custom-plugins", "create_plugin"),
    ("GET", r"/v1/custom-plugins/(?P<arn>[^/]+)", "describe_plugin"),
    ("DELETE", r"/v1/custom-plugins/(?P<arn>[^/]+)", "delete_plugin"),
    ("GET", r"/v1/connectors", "list_connectors"),
    ("POST", r"/v1/connectors", "create_connector"),
    ("GET", r"/v1/connectors/(?P<arn>[^/]+)", "describe_connector"),
    ("DELETE", r"/v1/connectors/(?P<arn>[^/]+)", "delete_connector"),
    ("GET", r"/v1/worker-configurations", "list_worker_configurations"),
    ("POST", r"/v1/worker-configurations", "create_worker_configuration"),
    ("GET", r"/v1/worker-configurations/(?P<arn>[^/]+)", "describe_worker_configuration"),
]


class Handler(BaseHTTPRequestHandler):
    server_version = "pinctl-msk-connect-standin/1"
    store: Store

    def log_message(self, fmt: str, *args) -> None:
        sys.stderr.write(f"{datetime.now().isoformat(timespec='seconds')} {self.command} {self.path} {fmt % args}\n")

    def _dispatch(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        try:
            for method, pattern, action in ROUTES:
                match = re.fullmatch(pattern, url.path)
                if method == self.command and match:
                    params = {k: unquote(v) for k, v in match.groupdict().items()}
                    length = int(self.headers.get("Content-Length") or 0)
                    body = json.loads(self.rfile.read(length) or b"{}") if length else {}
                    self._send(200, getattr(self, action)(body=body, query=query, **params))
                    return
            raise ApiError(501, "NotImplementedException", f"{self.command} {url.path} is not part of the pinctl sandbox's MSK Connect stand-in.")
        except ApiError as e:
            self._send(e.status, {"message": e.message}, e.kind)
        except json.JSONDecodeError:
            self._send(400, {"message": "The request body is not valid JSON."}, "BadRequestException")

    do_GET = do_POST = do_DELETE = do_PUT = _dispatch

    def _send(self, status: int, payload: dict, error: str | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        if error:
            self.send_header("x-amzn-ErrorType", error)
        self.end_headers()
        self.wfile.write(data)

    # ---- actions
    def list_plugins(self, query, **_):
        return self.store.list_plugins(query.get("namePrefix", ""))

    def create_plugin(self, body, **_):
        return self.store.create_plugin(body)

    def describe_plugin(self, arn, **_):
        return self.store.plugin_view(self.store.plugin(arn), False)

    def delete_plugin(self, arn, **_):
        return self.store.delete_plugin(arn)

    def list_connectors(self, query, **_):
        with self.store.lock:
            self.store.settle()
            prefix = query.get("connectorNamePrefix", "")
            items = [self.store.connector_view(c, True) for c in self.store.data["connectors"].values() if c["connectorName"].startswith(prefix)]
        return {"connectors": sorted(items, key=lambda c: c["connectorName"])}

    def create_connector(self, body, **_):
        return self.store.create_connector(body)

    def describe_connector(self, arn, **_):
        return self.store.connector_view(self.store.connector(arn), False)

    def delete_connector(self, arn, query, **_):
        return self.store.delete_connector(arn, query.get("currentVersion"))

    def list_worker_configurations(self, query, **_):
        prefix = query.get("namePrefix", "")
        with self.store.lock:
            items = [self.store.worker_view(w, False) for w in self.store.data["workerConfigurations"].values() if w["name"].startswith(prefix)]
        return {"workerConfigurations": sorted(items, key=lambda w: w["name"])}

    def create_worker_configuration(self, body, **_):
        return self.store.create_worker_configuration(body)

    def describe_worker_configuration(self, arn, **_):
        w = self.store.data["workerConfigurations"].get(arn)
        if not w:
            raise not_found(f"Worker configuration {arn}")
        return self.store.worker_view(w, True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--state", required=True, help="JSON file holding the plugins, connectors and worker configurations")
    parser.add_argument("--aws-endpoint", required=True, help="moto, for the S3 and IAM checks")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--delay", type=float, default=3.0, help="seconds a resource stays CREATING / DELETING")
    worker_port = os.environ.get("CONNECT_WORKER_PORT", "")
    parser.add_argument("--worker-url", default=f"http://127.0.0.1:{worker_port}" if worker_port.isdigit() else "",
                        help="a Kafka Connect worker's REST API (default: 127.0.0.1:$CONNECT_WORKER_PORT, part 45-connect-worker)")
    args = parser.parse_args()
    Handler.store = Store(args.state, args.delay, args.aws_endpoint, args.region, Worker(args.worker_url))
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    sys.stderr.write(f"MSK Connect stand-in on http://{args.host}:{args.port} (state {args.state}, delay {args.delay}s, "
                     f"Kafka Connect worker {args.worker_url or 'none'})\n")
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
