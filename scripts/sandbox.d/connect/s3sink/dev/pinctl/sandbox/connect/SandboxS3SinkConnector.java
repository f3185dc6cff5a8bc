package dev.pinctl.sandbox.connect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * pinctl sandbox S3 sink (scripts/sandbox.d/connect/s3sink). Confluent's kafka-connect-s3 is not on any registry
 * the sandbox can reach, so this small sink stands in for it inside a REAL Kafka Connect worker. It reads the
 * Confluent keys the seed configuration uses and writes the same object layout:
 *   s3://BUCKET/TOPICS_DIR/TOPIC/partition=N/TOPIC+N+OFFSET(10 digits).json, one JSON record per line,
 *   one object every flush.size records of a partition.
 * Keys: s3.bucket.name (required), s3.region, flush.size, topics.dir, store.url (endpoint, path-style),
 *   aws.access.key.id / aws.secret.access.key (else AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).
 */
public class SandboxS3SinkConnector extends SinkConnector {
    static final ConfigDef CONFIG = new ConfigDef()
        .define("s3.bucket.name", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "bucket")
        .define("s3.region", ConfigDef.Type.STRING, "us-east-1", ConfigDef.Importance.MEDIUM, "region")
        .define("flush.size", ConfigDef.Type.INT, 1, ConfigDef.Range.atLeast(1), ConfigDef.Importance.HIGH, "records per object")
        .define("topics.dir", ConfigDef.Type.STRING, "topics", ConfigDef.Importance.LOW, "top-level prefix")
        .define("store.url", ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM, "S3 endpoint (path-style)")
        .define("aws.access.key.id", ConfigDef.Type.STRING, "", ConfigDef.Importance.LOW, "access key")
        .define("aws.secret.access.key", ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.LOW, "secret key");

    private Map<String, String> props;

    @Override public String version() { return "1.0.0-pinctl-sandbox"; }

    @Override public void start(Map<String, String> props) {
        CONFIG.parse(props); // fails the connector on a missing s3.bucket.name, as Confluent's does
        this.props = new HashMap<>(props);
    }

    @Override public Class<? extends Task> taskClass() { return SandboxS3SinkTask.class; }

    @Override public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) configs.add(new HashMap<>(props));
        return configs;
    }

    @Override public void stop() { }

    @Override public ConfigDef config() { return CONFIG; }
}
