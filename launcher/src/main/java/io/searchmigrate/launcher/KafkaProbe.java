package io.searchmigrate.launcher;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Asks a Kafka broker for its metadata over the plain wire protocol, to tell "the port accepts" from "the
 * broker serves requests". Speaks only the two requests it needs (ApiVersions v0, then a non-flexible
 * Metadata version the broker supports), so the launcher needs no Kafka client library.
 */
final class KafkaProbe {
  private static final short API_METADATA = 3;
  private static final short API_VERSIONS = 18;
  /** Metadata v4..v8 share one non-flexible layout; Kafka 4 dropped v0..v3. */
  private static final short METADATA_MIN = 4;
  private static final short METADATA_MAX = 8;

  private KafkaProbe() {}

  /** The number of brokers the metadata lists (0 or more), or -1 when the broker does not answer properly. */
  static int brokersListed(String host, int port, int timeoutMillis) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      DataInputStream in = new DataInputStream(socket.getInputStream());

      send(out, API_VERSIONS, (short) 0, 1, new byte[0]);
      DataInputStream versions = receive(in, 1);
      if (versions.readShort() != 0) {
        return -1;
      }
      short metadataVersion = -1;
      for (int n = versions.readInt(), i = 0; i < n; i++) {
        short key = versions.readShort();
        short min = versions.readShort();
        short max = versions.readShort();
        if (key == API_METADATA && min <= METADATA_MAX && max >= METADATA_MIN) {
          metadataVersion = (short) Math.min(max, METADATA_MAX);
        }
      }
      if (metadataVersion < 0) {
        return -1;
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      DataOutputStream b = new DataOutputStream(body);
      b.writeInt(-1); // topics: null = all
      b.writeBoolean(false); // allow_auto_topic_creation
      if (metadataVersion >= 8) {
        b.writeBoolean(false); // include_cluster_authorized_operations
        b.writeBoolean(false); // include_topic_authorized_operations
      }
      send(out, API_METADATA, metadataVersion, 2, body.toByteArray());
      DataInputStream metadata = receive(in, 2);
      metadata.readInt(); // throttle_time_ms
      return metadata.readInt(); // brokers array length
    } catch (IOException e) {
      return -1;
    }
  }

  private static void send(DataOutputStream out, short apiKey, short version, int correlationId, byte[] body) throws IOException {
    byte[] clientId = "searchmigrate-probe".getBytes(StandardCharsets.UTF_8);
    out.writeInt(2 + 2 + 4 + 2 + clientId.length + body.length);
    out.writeShort(apiKey);
    out.writeShort(version);
    out.writeInt(correlationId);
    out.writeShort(clientId.length);
    out.write(clientId);
    out.write(body);
    out.flush();
  }

  private static DataInputStream receive(DataInputStream in, int correlationId) throws IOException {
    int length = in.readInt();
    if (length < 4 || length > (1 << 24)) {
      throw new IOException("implausible response length " + length);
    }
    byte[] response = new byte[length];
    in.readFully(response);
    DataInputStream data = new DataInputStream(new ByteArrayInputStream(response));
    if (data.readInt() != correlationId) {
      throw new IOException("unexpected correlation id");
    }
    return data;
  }
}
