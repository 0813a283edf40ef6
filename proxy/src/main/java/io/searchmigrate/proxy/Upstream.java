package io.searchmigrate.proxy;

import io.netty.handler.ssl.SslContext;

/**
 * A cluster the proxy forwards to, the source or the switchover target: where it is, how to check its certificate
 * ({@code tls} null for plain HTTP), and the headers set on requests towards it.
 */
record Upstream(String name, String host, int port, SslContext tls, boolean insecure, CaptureRules headers) {}
