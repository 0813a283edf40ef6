package io.searchmigrate.snapshot.lucene;

import io.searchmigrate.common.document.SourceDocument;
import java.nio.charset.StandardCharsets;

/**
 * Collects the stored fields that make up a document ({@code _id} or {@code _uid}, {@code _routing},
 * {@code _source}) while a Lucene visitor walks one document, whichever Lucene version reads it.
 */
final class StoredFieldsCollector {
  static final String ID = "_id";
  static final String UID = "_uid";
  static final String SOURCE = "_source";
  static final String ROUTING = "_routing";

  private final String index;
  private final String singleType;
  private String id;
  private String uid;
  private String routing;
  private byte[] source;

  /**
   * @param singleType the type to report for indices whose documents do not store one (null from 6.x on)
   */
  StoredFieldsCollector(String index, String singleType) {
    this.index = index;
    this.singleType = singleType;
  }

  static boolean wanted(String field) {
    return ID.equals(field) || UID.equals(field) || SOURCE.equals(field) || ROUTING.equals(field);
  }

  void reset() {
    id = null;
    uid = null;
    routing = null;
    source = null;
  }

  void binary(String field, byte[] value, int offset, int length) {
    switch (field) {
      case ID:
        id = Uid.decode(value, offset, length);
        break;
      case SOURCE:
        source = offset == 0 && length == value.length ? value : java.util.Arrays.copyOfRange(value, offset, offset + length);
        break;
      case UID:
        uid = new String(value, offset, length, StandardCharsets.UTF_8);
        break;
      case ROUTING:
        routing = new String(value, offset, length, StandardCharsets.UTF_8);
        break;
      default:
        break;
    }
  }

  void string(String field, String value) {
    switch (field) {
      case ID:
        id = value; // Elasticsearch 5.x single-type indices store the id as text
        break;
      case UID:
        uid = value;
        break;
      case ROUTING:
        routing = value;
        break;
      default:
        break;
    }
  }

  /** The document, or null when it has no id: nested child documents and other non-root Lucene documents. */
  SourceDocument build() {
    String type = singleType;
    String docId = id;
    if (uid != null) {
      int hash = uid.indexOf('#');
      if (hash > 0) {
        type = uid.substring(0, hash);
        docId = uid.substring(hash + 1);
      } else if (docId == null) {
        docId = uid;
      }
    }
    if (docId == null) {
      return null;
    }
    return new SourceDocument(index, type, docId, routing, source);
  }
}
