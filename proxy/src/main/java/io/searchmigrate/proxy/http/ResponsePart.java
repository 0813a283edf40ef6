package io.searchmigrate.proxy.http;

import io.netty.buffer.ByteBuf;

/**
 * A piece of a response as the source sent it: a head ({@link #head()} parsed) or a run of body bytes.
 * {@link #exchange()} is the request it answers, or null for bytes that cannot be matched to one (unsolicited,
 * or after the framing was lost).
 */
public record ResponsePart(Exchange exchange, HttpHead head, ByteBuf bytes, boolean last, int status) {}
