/*
 * RestProxyStandIn — a STAND-IN for the Confluent REST Proxy, for the pinctl sandbox only.
 *
 * This is NOT Confluent software and contains no Confluent code. The pinctl
 * sandbox cannot reach packages.confluent.io, so it serves a package laid out
 * like confluent-7.2.0 (bin/kafka-rest-start, etc/kafka-rest/kafka-rest.properties)
 * whose only server is this small program. It answers the subset of the
 * Confluent REST Proxy v2 API that pinctl uses, with the same response shapes
 * as Confluent REST Proxy 7.2.0:
 *
 *   GET  /                                  200 {}
 *   GET  /topics                            200 ["a","b"]  (internal topics left out)
 *   GET  /topics/{t}                        200 {"name","configs","partitions"} | 404 {"error_code":40401,"message":"Topic not found."}
 *   GET  /brokers                           200 {"brokers":[0]}
 *   POST /topics/{t}                        produce (application/vnd.kafka.json.v2+json or .binary.v2+json)
 *   POST /topics/{t}/partitions/{p}         produce to one partition
 *
 *   produce answers 200 application/vnd.kafka.v2+json
 *     {"offsets":[{"partition":0,"offset":N,"error_code":null,"error":null}],"key_schema_id":null,"value_schema_id":null}
 *   a record that failed: partition/offset null, error_code 50003 (retriable) or 50002 (other Kafka error);
 *   authentication / authorization failures: 401 / 403 with error_code 40101 / 40301;
 *   wrong Content-Type 415, unacceptable Accept 406, null body or no records 422, malformed JSON 400.
 *
 * JSON values and keys are written to Kafka as compact JSON text (UTF-8), as Confluent's
 * JSON embedded format does.
 *
 * Configuration: the kafka-rest.properties file given as the only argument:
 *   bootstrap.servers   (required)
 *   listeners           (default http://0.0.0.0:8082; comma separated; http only)
 *   port                (legacy, used when listeners is absent)
 *   client.*            passed to every Kafka client with the prefix removed
 *   producer.* admin.*  passed to that client only (prefix removed)
 *   zookeeper.connect, schema.registry.url, id, ... ignored
 *
 * Runs on Java 8+ (compiled with --release 8): JDK com.sun.net.httpserver,
 * kafka-clients 2.8.1, jackson-databind, slf4j/log4j from the Kafka 2.8.1 jars.
 */
package pinctl.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

public final class RestProxyStandIn {
    private static final Logger log = LoggerFactory.getLogger(RestProxyStandIn.class);
    private static final Logger accessLog = LoggerFactory.getLogger("pinctl.sandbox.RestProxyStandIn.access");

    static final String V2 = "application/vnd.kafka.v2+json";
    static final String JSON_V2 = "application/vnd.kafka.json.v2+json";
    static final String BINARY_V2 = "application/vnd.kafka.binary.v2+json";

    private final ObjectMapper mapper = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final Properties producerProps;
    private final Properties adminProps;
    private volatile KafkaProducer<byte[], byte[]> producer;
    private volatile AdminClient admin;
    private final List<HttpServer> servers = new ArrayList<>();
    private ExecutorService pool;

    RestProxyStandIn(Properties producerProps, Properties adminProps) {
        this.producerProps = producerProps;
        this.adminProps = adminProps;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("USAGE: kafka-rest-start [-daemon] kafka-rest.properties");
            System.err.println("(pinctl sandbox stand-in for the Confluent REST Proxy; not Confluent software)");
            System.exit(1);
        }
        Properties raw = new Properties();
        try (Reader r = new InputStreamReader(new FileInputStream(args[0]), StandardCharsets.UTF_8)) {
            raw.load(r);
        }
        String bootstrap = trimToNull(raw.getProperty("bootstrap.servers"));
        if (bootstrap == null) {
            log.error("Missing required configuration \"bootstrap.servers\" in {}", args[0]);
            System.exit(1);
        }
        Properties common = new Properties();
        Properties producerOnly = new Properties();
        Properties adminOnly = new Properties();
        for (String name : new TreeSet<>(raw.stringPropertyNames())) {
            String value = raw.getProperty(name).trim();
            if (name.startsWith("client.")) {
                common.setProperty(name.substring("client.".length()), value);
            } else if (name.startsWith("producer.")) {
                producerOnly.setProperty(name.substring("producer.".length()), value);
            } else if (name.startsWith("admin.")) {
                adminOnly.setProperty(name.substring("admin.".length()), value);
            } else if (name.equals("zookeeper.connect")) {
                log.info("Ignoring zookeeper.connect (not needed; the v2 API here talks to the brokers only)");
            }
        }
        common.setProperty("bootstrap.servers", bootstrap);
        // client.* goes to each client that knows the key (keys neither knows go to both, as custom configs)
        Set<String> producerKeys = ProducerConfig.configNames();
        Set<String> adminKeys = AdminClientConfig.configNames();
        Properties producerProps = new Properties();
        Properties adminProps = new Properties();
        for (String k : common.stringPropertyNames()) {
            boolean p = producerKeys.contains(k), a = adminKeys.contains(k);
            if (p || !a) producerProps.setProperty(k, common.getProperty(k));
            if (a || !p) adminProps.setProperty(k, common.getProperty(k));
        }
        producerProps.putAll(producerOnly);
        producerProps.setProperty("key.serializer", ByteArraySerializer.class.getName());
        producerProps.setProperty("value.serializer", ByteArraySerializer.class.getName());
        producerProps.putIfAbsent("client.id", "pinctl-rest-proxy-standin-producer");
        adminProps.putAll(adminOnly);
        adminProps.putIfAbsent("client.id", "pinctl-rest-proxy-standin-admin");
        // clients reject unknown keys only with a warning; drop the obvious consumer-only ones
        for (Properties p : new Properties[]{producerProps, adminProps}) {
            p.remove("group.id");
            p.remove("auto.offset.reset");
        }

        List<URI> listeners = new ArrayList<>();
        String listenersProp = trimToNull(raw.getProperty("listeners"));
        if (listenersProp == null) {
            String port = trimToNull(raw.getProperty("port"));
            listenersProp = "http://0.0.0.0:" + (port == null ? "8082" : port);
        }
        for (String l : listenersProp.split(",")) {
            l = l.trim();
            if (l.isEmpty()) continue;
            URI u = URI.create(l);
            if (!"http".equalsIgnoreCase(u.getScheme())) {
                log.error("Unsupported listener {} (this stand-in serves http only)", l);
                System.exit(1);
            }
            listeners.add(u);
        }

        RestProxyStandIn app = new RestProxyStandIn(producerProps, adminProps);
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "shutdown"));
        try {
            app.start(listeners);
        } catch (IOException e) {
            log.error("Failed to start the server: {}", e.toString());
            System.exit(1);
        }
        log.info("pinctl sandbox REST proxy stand-in (NOT Confluent software) serving the v2 API on {}; bootstrap.servers={}",
                listenersProp, bootstrap);
        log.info("Server started, listening for requests...");
    }

    void start(List<URI> listeners) throws IOException {
        pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "http-worker");
            t.setDaemon(false);
            return t;
        });
        for (URI u : listeners) {
            String host = u.getHost();
            int port = u.getPort() < 0 ? 80 : u.getPort();
            InetSocketAddress addr = (host == null || host.isEmpty() || host.equals("0.0.0.0"))
                    ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
            HttpServer server = HttpServer.create(addr, 64);
            server.createContext("/", this::handle);
            server.setExecutor(pool);
            server.start();
            servers.add(server);
        }
    }

    void stop() {
        for (HttpServer s : servers) s.stop(1);
        if (pool != null) pool.shutdown();
        if (producer != null) producer.close(java.time.Duration.ofSeconds(5));
        if (admin != null) admin.close(java.time.Duration.ofSeconds(5));
        log.info("Server stopped");
    }

    private KafkaProducer<byte[], byte[]> producer() {
        KafkaProducer<byte[], byte[]> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) producer = new KafkaProducer<>(producerProps);
                p = producer;
            }
        }
        return p;
    }

    private AdminClient admin() {
        AdminClient a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) admin = AdminClient.create(adminProps);
                a = admin;
            }
        }
        return a;
    }

    // ---------------------------------------------------------------- HTTP

    static final class HttpError extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final int errorCode;

        HttpError(int status, int errorCode, String message) {
            super(message);
            this.status = status;
            this.errorCode = errorCode;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        int status = 500;
        byte[] body;
        String contentType = V2;
        try {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getRawPath();
            List<String> seg = new ArrayList<>();
            for (String s : path.split("/")) if (!s.isEmpty()) seg.add(URLDecoder.decode(s, "UTF-8"));
            contentType = negotiate(ex.getRequestHeaders().getFirst("Accept"));
            JsonNode result;
            Reply reply = null;
            if (seg.isEmpty()) {
                requireMethod(method, "GET");
                result = mapper.createObjectNode();
            } else if (seg.get(0).equals("topics") && seg.size() == 1) {
                requireMethod(method, "GET");
                result = listTopics();
            } else if (seg.get(0).equals("topics") && seg.size() == 2) {
                if (method.equals("POST")) {
                    reply = produce(ex, seg.get(1), null);
                    result = null;
                } else {
                    requireMethod(method, "GET");
                    result = describeTopic(seg.get(1));
                }
            } else if (seg.get(0).equals("topics") && seg.size() == 4 && seg.get(2).equals("partitions")) {
                requireMethod(method, "POST");
                int partition;
                try {
                    partition = Integer.parseInt(seg.get(3));
                } catch (NumberFormatException e) {
                    throw new HttpError(404, 404, "HTTP 404 Not Found");
                }
                reply = produce(ex, seg.get(1), partition);
                result = null;
            } else if (seg.get(0).equals("brokers") && seg.size() == 1) {
                requireMethod(method, "GET");
                result = brokers();
            } else {
                throw new HttpError(404, 404, "HTTP 404 Not Found");
            }
            status = 200;
            if (reply != null) {
                status = reply.status;
                result = reply.body;
            }
            body = mapper.writeValueAsBytes(result);
        } catch (HttpError e) {
            status = e.status;
            body = errorBody(e.errorCode, e.getMessage());
        } catch (Exception e) {
            log.error("Unhandled error for {} {}", ex.getRequestMethod(), ex.getRequestURI(), e);
            status = 500;
            StringBuilder msg = new StringBuilder("Internal server error: ").append(e);
            for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) msg.append("; caused by: ").append(c);
            body = errorBody(50001, msg.toString());
        }
        try {
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        } finally {
            ex.close();
            accessLog.info("{} - - [{}] \"{} {} {}\" {} {}", ex.getRemoteAddress().getAddress().getHostAddress(),
                    new SimpleDateFormat("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).format(new Date()),
                    ex.getRequestMethod(), ex.getRequestURI(), ex.getProtocol(), status, body.length);
        }
    }

    private byte[] errorBody(int code, String message) {
        ObjectNode n = mapper.createObjectNode();
        n.put("error_code", code);
        n.put("message", message);
        try {
            return mapper.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            return ("{\"error_code\":" + code + ",\"message\":\"error\"}").getBytes(StandardCharsets.UTF_8);
        }
    }

    private static void requireMethod(String actual, String expected) throws HttpError {
        if (!actual.equals(expected)) throw new HttpError(405, 405, "HTTP 405 Method Not Allowed");
    }

    /** Response media type from the Accept header (v2 unless the client only accepts plain JSON). */
    private static String negotiate(String accept) throws HttpError {
        if (accept == null || accept.trim().isEmpty()) return V2;
        boolean json = false;
        for (String part : accept.split(",")) {
            String t = part.split(";")[0].trim().toLowerCase(Locale.ROOT);
            if (t.equals(V2) || t.equals("application/vnd.kafka+json") || t.equals("*/*") || t.equals("application/*")) {
                return V2;
            }
            if (t.equals("application/json")) json = true;
        }
        if (json) return "application/json";
        throw new HttpError(406, 406, "HTTP 406 Not Acceptable");
    }

    // ---------------------------------------------------------------- metadata

    private JsonNode listTopics() throws Exception {
        ListTopicsOptions opts = new ListTopicsOptions().listInternal(false);
        TreeSet<String> names = new TreeSet<>(kafka(admin().listTopics(opts).names()));
        ArrayNode arr = mapper.createArrayNode();
        for (String n : names) arr.add(n);
        return arr;
    }

    private JsonNode describeTopic(String topic) throws Exception {
        DescribeTopicsResult r = admin().describeTopics(Collections.singleton(topic));
        TopicDescription d;
        try {
            d = r.all().get().get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new HttpError(404, 40401, "Topic not found.");
            }
            throw kafkaError(e.getCause());
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("name", d.name());
        ObjectNode configs = out.putObject("configs");
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Map<ConfigResource, Config> cfg = kafka(admin().describeConfigs(Collections.singleton(res)).all());
        TreeMap<String, String> sorted = new TreeMap<>();
        for (ConfigEntry e : cfg.get(res).entries()) {
            if (e.value() != null) sorted.put(e.name(), e.value());
        }
        for (Map.Entry<String, String> e : sorted.entrySet()) configs.put(e.getKey(), e.getValue());
        ArrayNode parts = out.putArray("partitions");
        for (TopicPartitionInfo p : d.partitions()) {
            ObjectNode pn = parts.addObject();
            pn.put("partition", p.partition());
            pn.put("leader", p.leader() == null ? -1 : p.leader().id());
            ArrayNode reps = pn.putArray("replicas");
            for (Node n : p.replicas()) {
                ObjectNode rn = reps.addObject();
                rn.put("broker", n.id());
                rn.put("leader", p.leader() != null && p.leader().id() == n.id());
                rn.put("in_sync", p.isr().contains(n));
            }
        }
        return out;
    }

    private JsonNode brokers() throws Exception {
        TreeSet<Integer> ids = new TreeSet<>();
        for (Node n : kafka(admin().describeCluster().nodes())) ids.add(n.id());
        ObjectNode out = mapper.createObjectNode();
        ArrayNode arr = out.putArray("brokers");
        for (Integer id : ids) arr.add(id);
        return out;
    }

    private static <T> T kafka(org.apache.kafka.common.KafkaFuture<T> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw kafkaError(e.getCause());
        }
    }

    private static HttpError kafkaError(Throwable t) {
        if (t instanceof AuthenticationException) return new HttpError(401, 40101, "Authentication error: " + t.getMessage());
        if (t instanceof AuthorizationException) return new HttpError(403, 40301, "Authorization error: " + t.getMessage());
        return new HttpError(500, 50002, "Kafka error: " + t);
    }

    // ---------------------------------------------------------------- produce

    /** A produce answer: the offsets body with its status (200, or 401/403 on auth failures). */
    static final class Reply {
        final int status;
        final JsonNode body;

        Reply(int status, JsonNode body) {
            this.status = status;
            this.body = body;
        }
    }

    private Reply produce(HttpExchange ex, String topic, Integer pathPartition) throws Exception {
        String ct = ex.getRequestHeaders().getFirst("Content-Type");
        String media = ct == null ? "" : ct.split(";")[0].trim().toLowerCase(Locale.ROOT);
        boolean binary;
        if (media.equals(JSON_V2)) {
            binary = false;
        } else if (media.equals(BINARY_V2)) {
            binary = true;
        } else {
            throw new HttpError(415, 415, "HTTP 415 Unsupported Media Type");
        }
        byte[] raw = readAll(ex.getRequestBody());
        JsonNode req;
        try {
            req = raw.length == 0 ? null : mapper.readTree(raw);
        } catch (JsonProcessingException e) {
            throw new HttpError(400, 400, "Malformed JSON: " + e.getOriginalMessage());
        }
        if (req == null || req.isNull() || req.isMissingNode()) {
            throw new HttpError(422, 422, "Request body is empty. Data is required.");
        }
        if (!req.isObject()) {
            throw new HttpError(422, 422, "Request body must be a JSON object with a records array.");
        }
        JsonNode records = req.get("records");
        if (records == null || !records.isArray() || records.size() == 0) {
            throw new HttpError(422, 422, "records may not be empty");
        }

        List<Future<RecordMetadata>> futures = new ArrayList<>();
        List<Throwable> immediate = new ArrayList<>();
        for (JsonNode rec : records) {
            if (!rec.isObject()) throw new HttpError(422, 422, "Each record must be a JSON object.");
            byte[] key = encode(rec.get("key"), binary);
            byte[] value = encode(rec.get("value"), binary);
            Integer partition = pathPartition;
            JsonNode pn = rec.get("partition");
            if (partition == null && pn != null && !pn.isNull()) {
                if (!pn.canConvertToInt()) throw new HttpError(422, 422, "partition must be an integer");
                partition = pn.intValue();
            }
            try {
                futures.add(producer().send(new ProducerRecord<>(topic, partition, key, value)));
                immediate.add(null);
            } catch (Exception e) {
                futures.add(null);
                immediate.add(e);
            }
        }

        ObjectNode out = mapper.createObjectNode();
        ArrayNode offsets = out.putArray("offsets");
        int status = 200;
        for (int i = 0; i < futures.size(); i++) {
            ObjectNode o = offsets.addObject();
            Throwable err = immediate.get(i);
            if (err == null) {
                try {
                    RecordMetadata md = futures.get(i).get();
                    o.put("partition", md.partition());
                    o.put("offset", md.offset());
                    o.putNull("error_code");
                    o.putNull("error");
                    continue;
                } catch (ExecutionException e) {
                    err = e.getCause();
                }
            }
            int code;
            if (err instanceof AuthenticationException) {
                code = 40101;
                status = 401;
            } else if (err instanceof AuthorizationException) {
                code = 40301;
                status = 403;
            } else if (err instanceof RetriableException) {
                code = 50003;
            } else {
                code = 50002;
            }
            log.warn("Failed to produce a record to topic {}: {}", topic, err.toString());
            o.putNull("partition");
            o.putNull("offset");
            o.put("error_code", code);
            o.put("error", err.getMessage() == null ? err.toString() : err.getMessage());
        }
        out.putNull("key_schema_id");
        out.putNull("value_schema_id");
        return new Reply(status, out);
    }

    /** JSON format: compact JSON text; binary format: base64-decoded bytes. Absent/null stays null. */
    private byte[] encode(JsonNode n, boolean binary) throws Exception {
        if (n == null || n.isNull()) return null;
        if (binary) {
            if (!n.isTextual()) throw new HttpError(422, 422, "binary keys and values must be base64 strings");
            try {
                return Base64.getDecoder().decode(n.textValue());
            } catch (IllegalArgumentException e) {
                throw new HttpError(422, 42205, "Invalid base64: " + e.getMessage());
            }
        }
        return mapper.writeValueAsBytes(n);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int r;
        while ((r = in.read(buf)) > 0) bos.write(buf, 0, r);
        return bos.toByteArray();
    }

    private static String trimToNull(String s) {
        if (s == null) return null;
        s = s.trim();
        return s.isEmpty() ? null : s;
    }
}
