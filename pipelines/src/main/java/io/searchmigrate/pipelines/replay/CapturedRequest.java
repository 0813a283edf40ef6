package io.searchmigrate.pipelines.replay;

import java.io.Serializable;

/**
 * One request of a captured connection with the source's answer, ready to replay. {@code complete} is false when a
 * lost capture record cut the request or its response: such a request is counted and skipped, never guessed.
 */
public record CapturedRequest(String connection, int index, String method, String target, boolean mutating,
    byte[] request, byte[] response, int status, long requestStartMicros, long requestEndMicros,
    long responseEndMicros, boolean complete) implements Serializable {}
