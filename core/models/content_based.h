#pragma once

#include <iosfwd>
#include <span>
#include <string>
#include <vector>

#include "data/item_features.h"
#include "models/recommender.h"

namespace animerec {

// Two item-vector spaces, because the two questions want different features (measured on the
// CooperUnion 5,000-user split): title words tie a franchise together, which makes item-to-item
// lists right ("Cowboy Bebop" -> its movie) but roughly halved the profile's NDCG@10, so the
// profile space leaves them out. Neither space holds how popular or how well rated a title is:
// that is the `content_pop` family (contentWithPopularityPrior()), reported apart, because on P1
// a members direction alone lifts the profile to the level of ranking by members — popularity,
// not content (figures in README.md's model table).
struct ContentConfig {
    // Item vectors for similarItems(): what an anime is.
    ItemFeatureConfig similarity{.genreWeight = 1.0f,
                                 .typeWeight = 0.5f,
                                 .episodesWeight = 0.5f,
                                 .episodeBins = 8,
                                 .ratingWeight = 0.0f,
                                 .membersWeight = 0.0f,
                                 .titleWeight = 1.0f,
                                 .titleMaxShare = 0.01};
    // Item vectors for user profiles (score()): genres, type and length. The genre weight was
    // chosen on the validation split carved from P1's train part (`bench_collaborative
    // tuned:content`, bench/README.md).
    ItemFeatureConfig profile{.genreWeight = 2.0f,
                              .typeWeight = 0.5f,
                              .episodesWeight = 0.5f,
                              .episodeBins = 8,
                              .ratingWeight = 0.0f,
                              .membersWeight = 0.0f,
                              .titleWeight = 0.0f,
                              .titleMaxShare = 0.01};
    // How much each history event pulls the profile towards its item (negative = pushes away):
    float ratingCentre = 5.5f;      // a rating above this attracts, below repels
    bool centreOnUserMean = false;  // centre on the user's own mean rating instead of ratingCentre
    float ratingScale = 4.5f;       // weight = (rating - centre) / ratingScale
    float unratedWeight = 0.5f;     // watched (or watching / on hold) without a rating
    float droppedWeight = -1.0f;    // Dropped, whatever the rating; Plan to Watch is ignored
};

// The hybrid `content_pop`: the content profile space (genre weight 1) plus the log-members
// z-score (weight 3) and the MAL score (0.5) as feature directions, so a profile leans towards
// popular, well-rated titles of its genres.
ContentConfig contentWithPopularityPrior();

// Content-based recommender: each catalogue item is an L2-normalised feature vector (TF-IDF
// genres, type, episode bin, optionally rating, members and title words); a user is the weighted
// mean of the vectors of their history, and items are scored by dot product with it. Covers every
// catalogue item, including anime nobody has watched yet, so it serves new items and short
// histories.
class ContentBasedModel final : public Recommender {
public:
    // `family` is the factory's name for the configuration: "content" or "content_pop".
    explicit ContentBasedModel(ContentConfig config = {}, std::string family = "content");

    std::string name() const override { return family_; }
    const ContentConfig& config() const { return config_; }

    // Builds both item-vector spaces from the catalogue (interactions are not needed).
    // O(items x features).
    void fit(const Dataset& data, const ProgressCallback& progress = {}) override;
    // Profile of query.history (the dense user index is not used) dotted with every item.
    // An empty or fully ignored history scores every item 0.
    void score(const UserQuery& query, std::span<float> scores) const override;
    void save(std::ostream& out) const override;
    void load(std::istream& in) override;

    int itemCount() const override { return profileSpace_.rows; }
    const ItemFeatures& similarityFeatures() const { return similaritySpace_; }
    const ItemFeatures& profileFeatures() const { return profileSpace_; }

    // How many neighbours per item fit() and load() precompute (multithreaded, about 2 s of CPU
    // for 12k anime), so similarItems() with n <= this is a copy instead of a catalogue scan.
    static constexpr int kPrecomputedNeighbours = 100;

    // The n items most similar to `item` by cosine in the similarity space, best first, `item`
    // itself left out; ties go to the lower index, so the precomputed lists are exactly the
    // prefixes of a direct computation. Throws std::out_of_range for an index outside the fitted
    // catalogue. O(n) when n <= kPrecomputedNeighbours, else O(items x features).
    std::vector<ScoredItem> similarItems(int item, int n) const;
    // The same list computed from the item vectors, never from the precomputed table.
    std::vector<ScoredItem> computeSimilarItems(int item, int n) const;
    // Weight of one event in the user profile (see ContentConfig); `userMean` is the mean of the
    // user's ratings, used only when centreOnUserMean is set.
    float eventWeight(const Event& event, float userMean) const;
    // The user profile in the profile space (not normalised): sum of weight x item vector over
    // the history divided by the sum of |weight|. Events with items outside the model are skipped.
    FeatureVector userProfile(std::span<const Event> history) const;

private:
    // Top kPrecomputedNeighbours of every item of `similarity`, row after row.
    static std::vector<ScoredItem> precomputeNeighbours(const ItemFeatures& similarity,
                                                        const ProgressCallback& progress);
    void checkItem(int item) const;

    ContentConfig config_;
    std::string family_;
    ItemFeatures similaritySpace_;
    ItemFeatures profileSpace_;
    std::vector<ScoredItem> neighbours_;  // neighbourWidth_ per item, best first
    int neighbourWidth_ = 0;              // min(kPrecomputedNeighbours, items - 1)
};

}  // namespace animerec
