package io.searchmigrate.proxy.http;

/**
 * The client sent something the proxy will not forward (malformed, too large, too slow). {@code midRequest}
 * is true when part of the offending request had already been forwarded.
 */
public record RequestRejected(int status, String reason, boolean midRequest) {}
