package io.searchmigrate.common.json;

/** The content types Elasticsearch accepts for documents, detected from their first bytes as it does. */
public enum XContentType {
  JSON, SMILE, CBOR, YAML;

  public static XContentType detect(byte[] bytes, int offset, int length) {
    if (length >= 3 && bytes[offset] == ':' && bytes[offset + 1] == ')' && bytes[offset + 2] == '\n') {
      return SMILE;
    }
    if (length >= 3 && bytes[offset] == '-' && bytes[offset + 1] == '-' && bytes[offset + 2] == '-') {
      return YAML;
    }
    if (length >= 1) {
      int first = bytes[offset] & 0xff;
      // CBOR: a map (major type 5, 0xA0-0xBB), an indefinite map (0xBF), or the self-describe tag 0xD9D9F7.
      if ((first >= 0xA0 && first <= 0xBB) || first == 0xBF || first == 0xD9) {
        return CBOR;
      }
    }
    return JSON;
  }
}
