"""Fetch a survey's responses from LimeSurvey incrementally, in pages of response-id ranges.

LimeSurvey builds each export whole in server memory, so a large survey is never one call. A load asks
for (a) the responses after the last stored id, page by page until the server's response count is
accounted for, (b) the responses that were still incomplete at the last load (they may have been
finished since), and, on a full rescan, (c) every stored id again to catch edits. Everything is
collected before anything is written: a connection lost halfway leaves the raw layer untouched.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipelines.limesurvey import LimeSurveyConnection, LimeSurveyError
from warehouse.raw import StoredState

MAX_EMPTY_PAGES = 1000  # ids are sparse only where responses were deleted; past this, give up


def id_ranges(ids: Iterable[int], page_size: int) -> list[tuple[int, int]]:
    """Cover ``ids`` with inclusive ranges no wider than ``page_size``."""
    ranges: list[tuple[int, int]] = []
    for i in sorted(set(ids)):
        if ranges and i - ranges[-1][0] < page_size:
            ranges[-1] = (ranges[-1][0], i)
        else:
            ranges.append((i, i))
    return ranges


def fetch_responses(connection: LimeSurveyConnection, survey_id: int, state: StoredState, *,
                    page_size: int, full_rescan: bool = False) -> list[dict[str, str]]:
    server_total = connection.response_count(survey_id)
    fetched: dict[int, dict[str, str]] = {}
    again = state.response_ids if full_rescan else state.incomplete_ids
    for first, last in id_ranges(again, page_size):
        for response in connection.export_range(survey_id, first, last):
            fetched[int(response["id"])] = response
    # New ids: page on while pages hold responses; past an empty page, only while the server's count
    # is not yet accounted for (ids skip numbers where responses were deleted).
    start, empty_pages = state.max_response_id + 1, 0
    while True:
        page = connection.export_range(survey_id, start, start + page_size - 1)
        for response in page:
            fetched[int(response["id"])] = response
        start += page_size
        if page:
            empty_pages = 0
            continue
        empty_pages += 1
        if len(state.response_ids | fetched.keys()) >= server_total:
            break
        if empty_pages > MAX_EMPTY_PAGES:
            raise LimeSurveyError("export_responses", survey_id,
                                  f"the server counts {server_total} responses but no more were found up to id {start}")
    return [fetched[i] for i in sorted(fetched)]
