#!/usr/bin/env bash
# The channel client (src/main/kotlin/ChannelClient.kt), built and run as scripts/client.sh does:
#   scripts/channel-client.sh --connect 127.0.0.1:7000 --server-key server.pub [--key client.key]
# stdin goes to the server through the channel, the server's data to stdout (like nc).
set -euo pipefail
HYBRIDKEM_CLIENT_MAIN=ChannelClientKt exec bash "$(dirname "$0")/client.sh" "$@"
