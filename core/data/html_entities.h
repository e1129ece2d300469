#pragma once

#include <string>
#include <string_view>

namespace animerec {

// Decodes the HTML character references MAL exports leave in titles: &amp; &quot; &apos; &lt;
// &gt; and numeric &#NNN; / &#xHH; (encoded as UTF-8). Unknown or malformed references, and
// numeric ones outside Unicode or in the surrogate range, are kept verbatim.
// Example: "Gintama&#039;" -> "Gintama'".
std::string decodeHtmlEntities(std::string_view text);

// Appends code point `codePoint` (<= 0x10FFFF) to `out` as UTF-8.
void appendUtf8(std::string& out, char32_t codePoint);

}  // namespace animerec
