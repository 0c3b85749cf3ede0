# tzif-footer-slim-zone: the zone reader ignored the TZif footer (RFC 8536 §3.3), the POSIX TZ
# rule for every instant after a file's last transition. With the "slim" files zic writes by
# default (no transitions after 1996 for Paris) every Paris winter after 1996 came out an hour
# off, and with "fat" files every summer after 2037. The time module (compiler/base/tm.c) now
# reads the footer and applies its rule. Here a weekday 08:00 Paris window, with TZDIR pointing
# at a slim build of Europe/Paris, must open at 07:00Z on Monday 2031-01-13 (CET) and 06:00Z on
# Monday 2045-07-17 (CEST). (Failed before the fix: 2031 opened at 06:00Z, the last transition's
# summer offset kept for ever.)
set -u
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
printf '%s\n' \
    'Rule EU 1977 1980 - Apr Sun>=1 1:00u 1:00 S' 'Rule EU 1977 only - Sep lastSun 1:00u 0 -' \
    'Rule EU 1978 only - Oct 1 1:00u 0 -' 'Rule EU 1979 1995 - Sep lastSun 1:00u 0 -' \
    'Rule EU 1981 max - Mar lastSun 1:00u 1:00 S' 'Rule EU 1996 max - Oct lastSun 1:00u 0 -' \
    'Zone Europe/Paris 1:00 - CET 1977' '1:00 EU CE%sT' > "$d/paris.zi"
zic=$(command -v zic || echo /usr/sbin/zic)
"$zic" -b slim -d "$d/tz" "$d/paris.zi" || exit 1
for day in 2031-01-13:07 2045-07-17:06; do
    date=${day%:*} want=${day#*:}
    { echo timestamp,value; for h in 05 06 07 08; do echo "${date}T$h:00:00Z,0"; done; } > "$d/t.csv"
    TZDIR=$d/tz "$MMEC" simulate -q tests/simulate/schedule.scale --trace "$d/t.csv" --csv \
        -o "$d/out.csv" || exit 1
    got=$(awk -F, '$11 == "schedule" && $6 == 4 { print $1; exit }' "$d/out.csv")
    [ "$got" = "${date}T$want:00:00Z" ] || { echo "$date: the window opened at '$got', not ${want}:00Z"; exit 1; }
done
