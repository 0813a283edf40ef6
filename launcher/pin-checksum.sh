#!/usr/bin/env bash
# Prints pinned-checksums.txt lines for Maven artifacts: the SHA-512 Maven Central publishes, else its SHA-1.
# Usage: launcher/pin-checksum.sh org.opensearch.distribution.integ-test-zip:opensearch:2.19.2:zip [...] >> \
#          launcher/src/main/resources/io/searchmigrate/launcher/pinned-checksums.txt
# Review what it printed before committing: a pin is only as good as the moment it was taken.
set -euo pipefail
repository=${MIGRATE_MAVEN_REPOSITORY:-https://repo1.maven.org/maven2}
for coordinates in "$@"; do
  IFS=: read -r group artifact version type <<< "$coordinates"
  url="$repository/${group//.//}/$artifact/$version/$artifact-$version.$type"
  if sum=$(curl -sf "$url.sha512"); then
    echo "$coordinates sha512 ${sum%% *}"
  elif sum=$(curl -sf "$url.sha1"); then
    echo "$coordinates sha1 ${sum%% *}"
  else
    echo "no checksum published for $coordinates at $url" >&2
    exit 1
  fi
done
