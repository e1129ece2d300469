#include "eval/list_outcome.h"

namespace animerec {

ListOutcome applyListFeedback(ListOutcome& outcome, ListFeedback event, int position, int k) {
    const ListOutcome before = outcome;
    if (position >= 1 && position <= k) outcome.clicked = true;
    if (event == ListFeedback::Watch || event == ListFeedback::Complete) outcome.watched = true;
    if (event == ListFeedback::Complete) outcome.completed = true;
    return {outcome.clicked && !before.clicked, outcome.watched && !before.watched,
            outcome.completed && !before.completed};
}

}  // namespace animerec
