package dev.pinctl.sandbox.connect;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** Buffers records per partition and PUTs one object every flush.size records (SigV4-signed, path-style). */
public class SandboxS3SinkTask extends SinkTask {
    private String bucket, region, topicsDir, endpoint, accessKey, secretKey;
    private int flushSize;
    private final Map<TopicPartition, List<SinkRecord>> buffers = new HashMap<>();
    private final Map<TopicPartition, Long> written = new HashMap<>(); // next offset to commit
    private final JsonConverter json = new JsonConverter();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Override public String version() { return "1.0.0-pinctl-sandbox"; }

    @Override public void start(Map<String, String> props) {
        AbstractConfig c = new AbstractConfig(SandboxS3SinkConnector.CONFIG, props);
        bucket = c.getString("s3.bucket.name");
        region = c.getString("s3.region");
        flushSize = c.getInt("flush.size");
        topicsDir = c.getString("topics.dir");
        endpoint = c.getString("store.url").isEmpty() ? "https://s3." + region + ".amazonaws.com" : c.getString("store.url").replaceAll("/+$", "");
        accessKey = c.getString("aws.access.key.id").isEmpty() ? System.getenv().getOrDefault("AWS_ACCESS_KEY_ID", "") : c.getString("aws.access.key.id");
        String secret = c.getPassword("aws.secret.access.key").value();
        secretKey = secret.isEmpty() ? System.getenv().getOrDefault("AWS_SECRET_ACCESS_KEY", "") : secret;
        json.configure(Map.of("schemas.enable", "false", "converter.type", "value"));
    }

    @Override public void put(Collection<SinkRecord> records) {
        for (SinkRecord r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.kafkaPartition());
            List<SinkRecord> buffer = buffers.computeIfAbsent(tp, k -> new ArrayList<>());
            buffer.add(r);
            if (buffer.size() >= flushSize) {
                write(tp, buffer);
                written.put(tp, r.kafkaOffset() + 1);
                buffer.clear();
            }
        }
    }

    /** Commit only what is in S3: buffered records are read again after a restart, as with Confluent's sink. */
    @Override public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> current) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (TopicPartition tp : current.keySet()) {
            Long next = written.get(tp);
            if (next != null) commit.put(tp, new OffsetAndMetadata(next));
        }
        return commit;
    }

    @Override public void close(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) { buffers.remove(tp); written.remove(tp); }
    }

    @Override public void stop() { buffers.clear(); }

    private void write(TopicPartition tp, List<SinkRecord> records) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (SinkRecord r : records) {
            byte[] line;
            if (r.value() == null) continue;
            if (r.value() instanceof String) line = ((String) r.value()).getBytes(StandardCharsets.UTF_8);
            else if (r.value() instanceof byte[]) line = (byte[]) r.value();
            else line = json.fromConnectData(r.topic(), r.valueSchema(), r.value());
            body.writeBytes(line);
            body.write('\n');
        }
        String key = String.format("%s/%s/partition=%d/%s+%d+%010d.json", topicsDir, tp.topic(), tp.partition(),
            tp.topic(), tp.partition(), records.get(0).kafkaOffset());
        put(key, body.toByteArray());
    }

    private void put(String key, byte[] body) {
        try {
            StringBuilder path = new StringBuilder("/").append(encode(bucket));
            for (String segment : key.split("/", -1)) path.append('/').append(encode(segment));
            URI uri = URI.create(endpoint + path);
            String host = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            String amzDate = now.format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
            String day = amzDate.substring(0, 8);
            String payloadHash = hex(MessageDigest.getInstance("SHA-256").digest(body));
            String signedHeaders = "content-type;host;x-amz-content-sha256;x-amz-date";
            String canonical = "PUT\n" + uri.getRawPath() + "\n\ncontent-type:application/json\nhost:" + host
                + "\nx-amz-content-sha256:" + payloadHash + "\nx-amz-date:" + amzDate + "\n\n" + signedHeaders + "\n" + payloadHash;
            String scope = day + "/" + region + "/s3/aws4_request";
            String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
            byte[] k = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), day);
            k = hmac(k, region); k = hmac(k, "s3"); k = hmac(k, "aws4_request");
            String authorization = "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope + ", SignedHeaders=" + signedHeaders
                + ", Signature=" + hex(hmac(k, toSign));
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("x-amz-content-sha256", payloadHash)
                .header("x-amz-date", amzDate).header("Authorization", authorization)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status / 100 == 2) return;
            String code = tag(response.body(), "Code"), text = tag(response.body(), "Message");
            String message = "PUT s3://" + bucket + "/" + key + " failed: HTTP " + status
                + (code.isEmpty() ? "" : " " + code) + (text.isEmpty() ? "" : ": " + text);
            if (status >= 500 || status == 429) throw new RetriableException(message);
            throw new ConnectException(message);
        } catch (java.io.IOException e) {
            throw new RetriableException("PUT s3://" + bucket + "/" + key + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableException("interrupted", e);
        } catch (java.security.GeneralSecurityException e) {
            throw new ConnectException(e);
        }
    }

    private static String tag(String xml, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml == null ? "" : xml);
        return m.find() ? m.group(1) : "";
    }

    private static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') out.append(c);
            else out.append(String.format("%%%02X", b & 0xff));
        }
        return out.toString();
    }

    private static byte[] hmac(byte[] key, String data) throws java.security.GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) out.append(String.format("%02x", b));
        return out.toString();
    }
}
