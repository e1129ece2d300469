#pragma once

#include <random>
#include <string>
#include <unordered_set>

namespace animerec::generator {

// Makes unique, plausible anime titles ("Sora no Kiseki", "Crimson Blade: Hoshi no Uta",
// "Yuki-chan to Mahou") plus the franchise entries derived from them ("X 2nd Season",
// "X Movie"). Like the real Kaggle file, a few titles contain commas or the HTML entity &#039;,
// so readers meet the same quoting and decoding cases.
class TitleMaker {
public:
    // A new original title, different from every title made so far.
    std::string original(std::mt19937_64& engine);
    // Title of the `seasonNumber`-th season (>= 2) of `base`.
    std::string season(const std::string& base, int seasonNumber);
    // Title of the `number`-th (>= 1) side entry of a kind ("Movie", "OVA", "Specials").
    std::string sideStory(const std::string& base, const char* kind, int number);

private:
    std::string makeUnique(std::string title);
    std::unordered_set<std::string> used_;
};

}  // namespace animerec::generator
