package io.searchmigrate.capture;

/**
 * Constants of the capture record format, version 1 (documented in proxy/README.md, "Capture format").
 *
 * <pre>
 * record   = magic "SMCP" | u8 version | u8 flags | u64 sequence | u32 observationCount
 *            | str nodeId | str connectionId | observation*
 * observation = u8 type | i64 timestampMicros | body (by type)
 * str      = u16 length | UTF-8 bytes;   bytes = u32 length | raw bytes;   all integers big-endian
 * </pre>
 */
public final class CaptureFormat {
  public static final byte[] MAGIC = {'S', 'M', 'C', 'P'};
  public static final int VERSION = 1;

  /** Record flag: the connection ended in this record (no record with a higher sequence follows). */
  public static final int FLAG_LAST = 1;

  /** The connection was accepted: str client address, str proxy address, u8 tls (0/1). */
  public static final int OPEN = 1;
  /** Bytes the client sent: bytes data. Consecutive REQUEST_BYTES concatenate. */
  public static final int REQUEST_BYTES = 2;
  /** The request ends with the bytes before: u32 requestIndex, str method, str target, u8 flags (1 = mutating). */
  public static final int REQUEST_END = 3;
  /** Bytes the source sent back: bytes data. Consecutive RESPONSE_BYTES concatenate. */
  public static final int RESPONSE_BYTES = 4;
  /** The response to request #requestIndex ends with the bytes before: u32 requestIndex, u16 status. */
  public static final int RESPONSE_END = 5;
  /**
   * A request that was forwarded but not captured, nor its response: u32 requestIndex, str method, str target,
   * u8 reason (1 = a suppression rule matched).
   */
  public static final int REQUEST_SKIPPED = 6;
  /** The connection closed: u8 by (1 = client, 2 = source, 3 = proxy). */
  public static final int CLOSE = 7;
  /** Something went wrong on the connection: str message. Any request or response in progress is incomplete. */
  public static final int ERROR = 8;

  public static final int SKIPPED_BY_RULE = 1;
  /** The proxy was switched over: the request went to the target, so neither it nor its response is captured. */
  public static final int SKIPPED_SENT_TO_TARGET = 2;
  public static final int CLOSED_BY_CLIENT = 1;
  public static final int CLOSED_BY_SOURCE = 2;
  public static final int CLOSED_BY_PROXY = 3;
  public static final int REQUEST_FLAG_MUTATING = 1;

  /** Fixed part of a record before the two strings: magic, version, flags, sequence, count (for writers sizing records). */
  public static final int FIXED_HEADER = 4 + 1 + 1 + 8 + 4;
  /** Type, timestamp and length of a bytes observation. */
  public static final int BYTES_OBSERVATION_OVERHEAD = 1 + 8 + 4;

  private CaptureFormat() {}
}
