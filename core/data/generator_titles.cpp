#include "data/generator_titles.h"

#include <array>
#include <iterator>

#include "data/generator_random.h"

namespace animerec::generator {
namespace {

constexpr std::array kJapanese{
    "Sora",  "Hoshi", "Kokoro", "Yume",     "Tenshi",  "Sekai",   "Hikari", "Kaze",     "Tsuki",
    "Umi",   "Yoru",  "Hana",   "Kiseki",   "Mahou",   "Shoujo",  "Senki",  "Densetsu", "Tabi",
    "Kimi",  "Boku",  "Ore",    "Natsu",    "Fuyu",    "Sakura",  "Kami",   "Oni",      "Ken",
    "Mirai", "Kioku", "Namida", "Inochi",   "Kagami",  "Shiro",   "Kuro",   "Aka",      "Ao",
    "Ame",   "Yuki",  "Hono",   "Tori",     "Ryuu",    "Kitsune", "Neko",   "Gakuen",   "Seishun",
    "Uta",   "Koi",   "Yami",   "Tamashii", "Chikyuu", "Uchuu",   "Hime",   "Ouji",     "Majo",
};
constexpr std::array kEnglish{
    "Angel",   "Blade",    "Chronicle", "Crimson", "Dream",   "Eternal",   "Frontier", "Ghost",
    "Heart",   "Infinite", "Journey",   "Knight",  "Legend",  "Memory",    "Night",    "Origin",
    "Phantom", "Quest",    "Requiem",   "Saga",    "Tale",    "Unlimited", "Vision",   "Wings",
    "Zero",    "Stars",    "Storm",     "Break",   "Code",    "Drive",     "Fire",     "Garden",
    "Academy", "Symphony", "Hunter",    "Soul",    "World",   "Force",     "Project",  "Rhapsody",
    "Silver",  "Golden",   "Last",      "First",   "Magical", "Steel",     "Shadow",   "Spiral",
};
constexpr std::array kNames{
    "Yuki",  "Haruka", "Sakura", "Rin", "Kaito", "Sora", "Hikaru", "Mio", "Ren",
    "Akira", "Nana",   "Takeru", "Aoi", "Kenji", "Mika", "Shun",   "Emi", "Riku",
};
constexpr std::array kOrdinals{"2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th"};

template <typename Array>
const char* pick(std::mt19937_64& engine, const Array& words) {
    return words[uniformIndex(engine, static_cast<std::uint32_t>(std::size(words)))];
}

std::string lowerFirst(std::string word) {
    if (!word.empty() && word[0] >= 'A' && word[0] <= 'Z')
        word[0] = static_cast<char>(word[0] - 'A' + 'a');
    return word;
}

}  // namespace

std::string TitleMaker::original(std::mt19937_64& engine) {
    std::string title;
    const double pattern = uniform01(engine);
    auto jp = [&] { return std::string(pick(engine, kJapanese)); };
    auto en = [&] { return std::string(pick(engine, kEnglish)); };
    if (pattern < 0.22) {
        title = jp() + " no " + jp();
    } else if (pattern < 0.36) {
        title = en() + " " + en();
    } else if (pattern < 0.48) {
        title = en() + " " + en() + ": " + jp() + " no " + jp();
    } else if (pattern < 0.58) {
        title = jp() + " " + lowerFirst(jp()) + (bernoulli(engine, 0.5) ? "!" : "!!");
    } else if (pattern < 0.67) {
        title = std::string(pick(engine, kNames)) + "-chan to " + jp();
    } else if (pattern < 0.75) {
        title = jp() + " " + en() + " " + jp();
    } else if (pattern < 0.83) {
        title = "Kidou " + en() + " " + en();
    } else if (pattern < 0.91) {
        title = jp() + " wa " + lowerFirst(jp()) + " ni";
    } else if (pattern < 0.97) {
        title = en() + ", " + en() + ", " + en();  // commas force CSV quoting
    } else {
        title =
            std::string(pick(engine, kNames)) + "&#039;s " + en();  // entity, as in the real file
    }
    return makeUnique(std::move(title));
}

std::string TitleMaker::season(const std::string& base, int seasonNumber) {
    const std::size_t index = static_cast<std::size_t>(seasonNumber - 2);
    const std::string ordinal =
        index < kOrdinals.size() ? kOrdinals[index] : std::to_string(seasonNumber) + "th";
    return makeUnique(base + " " + ordinal + " Season");
}

std::string TitleMaker::sideStory(const std::string& base, const char* kind, int number) {
    std::string title = base + " " + kind;
    if (number > 1) {
        title += ' ';
        title += std::to_string(number);
    }
    return makeUnique(std::move(title));
}

std::string TitleMaker::makeUnique(std::string title) {
    if (used_.insert(title).second) return title;
    // Collisions of random word pairs are common in big catalogues; a numeric suffix keeps
    // titles unique without changing the look.
    for (int n = 2;; ++n) {
        std::string candidate = title + " " + std::to_string(n);
        if (used_.insert(candidate).second) return candidate;
    }
}

}  // namespace animerec::generator
