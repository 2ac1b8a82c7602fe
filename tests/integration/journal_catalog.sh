#!/bin/bash
# Proves that systemd/rtmon.catalog compiles with journalctl and has one entry for every built-in
# MESSAGE_ID in src/fmt_journal.c (so `journalctl -x` explains every built-in rule), and no stray
# ids; and that every default rule of etc/rtmon/rtmon.conf has a fixed MESSAGE_ID in that table.
set -euo pipefail
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
command -v journalctl > /dev/null || { echo "SKIP: journalctl not installed"; exit 77; }
T=$(mktemp -d /tmp/rtmon-catalog.XXXXXX)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/usr/lib/systemd/catalog" "$T/var/lib/systemd/catalog"
cp "$top_srcdir/systemd/rtmon.catalog" "$T/usr/lib/systemd/catalog/"
journalctl --root="$T" --update-catalog
journalctl --root="$T" --list-catalog | awk '/ rtmon: /{print $1}' | sort > "$T/listed"
# the table in fmt_journal.c: { "rule", "32hex" },
sed -n '/message_ids\[\] = {/,/^};/p' "$top_srcdir/src/fmt_journal.c" |
	grep -oE '"[0-9a-f]{32}"' | tr -d '"' | sort > "$T/table"
echo "catalog: $(tr '\n' ' ' < "$T/listed")"
echo "table:   $(tr '\n' ' ' < "$T/table")"
[ -s "$T/table" ] || { echo "FAIL: no MESSAGE_ID table found in fmt_journal.c"; exit 1; }
diff "$T/table" "$T/listed" || { echo "FAIL: catalog and MESSAGE_ID table differ"; exit 1; }
sed -n '/message_ids\[\] = {/,/^};/p' "$top_srcdir/src/fmt_journal.c" |
	grep -oE '\{ "[a-z0-9_]+"' | tr -d '{" ' | sort > "$T/rules_table"
grep -oE '^[[:space:]]*id[[:space:]]*=[[:space:]]*"[A-Za-z0-9_]+"' "$top_srcdir/etc/rtmon/rtmon.conf" |
	sed -E 's/.*"(.*)"/\1/' | sort -u > "$T/rules_conf"
missing=$(comm -23 "$T/rules_conf" "$T/rules_table")
[ -z "$missing" ] || { echo "FAIL: default rules without a fixed MESSAGE_ID (add them to message_ids[] and the catalog):" $missing; exit 1; }
echo "all $(wc -l < "$T/rules_conf") default rules have a fixed MESSAGE_ID"
for id in $(cat "$T/table"); do
	journalctl --root="$T" --dump-catalog "$id" | grep -q '^Subject: ' || { echo "FAIL: $id has no Subject"; exit 1; }
done
echo PASS
