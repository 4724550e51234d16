#!/usr/bin/env bash
# Vendor KaTeX from npm into docs/assets/katex/ so the site renders math with no CDN.
#
# Usage: scripts/vendor_katex.sh [VERSION]     (default 0.19.1; needs npm and the npm registry)
#
# Ships katex.min.js, katex.min.css, contrib/auto-render.min.js, LICENSE and the
# fonts in woff2 only. The upstream CSS lists woff2, woff and ttf for every face;
# we rewrite each `src:` list to woff2 alone because every browser that can run
# KaTeX 0.19 and Material's bundle reads woff2 (the fallbacks would never be
# fetched), it halves the assets (~1.2 MB -> ~0.6 MB), and a link checker run
# over site/ would otherwise flag 40 URLs to files we do not ship.
set -euo pipefail

version="${1:-0.19.1}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
dest="$repo/docs/assets/katex"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "katex@$version" >/dev/null && tar xzf "katex-$version.tgz")
dist="$tmp/package/dist"

rm -rf "$dest"
mkdir -p "$dest/contrib" "$dest/fonts"
cp "$dist/katex.min.js" "$dest/"
cp "$dist/contrib/auto-render.min.js" "$dest/contrib/"
cp "$tmp/package/LICENSE" "$dest/LICENSE"
cp "$dist"/fonts/*.woff2 "$dest/fonts/"

# Drop the ",url(...woff) format("woff"),url(...ttf) format("truetype")" tail of each src: list.
sed -E 's#,url\(fonts/[^)]+\.woff\) format\("woff"\),url\(fonts/[^)]+\.ttf\) format\("truetype"\)##g' \
    "$dist/katex.min.css" >"$dest/katex.min.css"

# Fail loudly if upstream changed the CSS shape and the rewrite missed something.
if grep -Eq '\.(woff|ttf)\)' "$dest/katex.min.css"; then
    echo "vendor_katex: katex.min.css still names .woff/.ttf fonts; update the sed rewrite" >&2
    exit 1
fi
for font in $(grep -oE 'fonts/[A-Za-z0-9_-]+\.woff2' "$dest/katex.min.css" | sort -u); do
    [[ -f "$dest/$font" ]] || { echo "vendor_katex: CSS names missing $font" >&2; exit 1; }
done

echo "$version" >"$dest/VERSION"
echo "vendored katex@$version into ${dest#"$repo"/} ($(du -sh "$dest" | cut -f1))"
