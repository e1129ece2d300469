#pragma once

namespace animerec {

// What a user reported about a title of a served list (POST /feedback).
enum class ListFeedback { Click, Watch, Complete, Rate };

// What users did with one served list, the unit of the online rates (CTR@K, watch rate,
// completion rate) that the A/B report and the quality view both count.
struct ListOutcome {
    bool clicked = false;    // any feedback on a title shown at positions 1..K
    bool watched = false;    // a watch or complete of any of its titles
    bool completed = false;  // a complete of any of its titles
};

// Applies one event attributed to the list at `position` (1-based; 0 = position unknown) and
// returns the flags this event turned on (each flag turns on once, so a rate counts per list).
ListOutcome applyListFeedback(ListOutcome& outcome, ListFeedback event, int position, int k);

}  // namespace animerec
