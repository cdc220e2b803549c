"""Problems specific to merging records of one person."""

from shared.errors import Conflict, NotFound


class MergeNotFound(NotFound):
    code = "person_merge_not_found"
    title = "No such merge in your province"


class MergeSamePerson(Conflict):
    code = "merge_same_person"
    title = "A record cannot be merged into itself"


class MergeAlias(Conflict):
    """Either record is itself an alias of a third: merge into that one instead."""

    code = "merge_alias"
    title = "One of the records was already merged into another record"


class MergeArchived(Conflict):
    code = "merge_archived"
    title = "One of the records is archived"


class MergeAcrossProvinces(Conflict):
    code = "merge_across_provinces"
    title = "The two records are in different provinces: transfer one first"


class MergeChain(Conflict):
    """Keeping every alias one step from its survivor keeps each merge undoable alone."""

    code = "merge_chain"
    title = "The record to merge away has absorbed other records: merge into it instead"


class MergeTransferPending(Conflict):
    code = "merge_transfer_pending"
    title = "One of the records has a transfer waiting for an answer"


class MergeUndone(Conflict):
    code = "merge_undone"
    title = "This merge has been undone already"


class MergeSuperseded(Conflict):
    """The undo restores the survivor's fields as they were; a change made to them since
    would be lost without a word, so the undo is refused instead."""

    code = "merge_superseded"
    title = "The surviving record changed after the merge"
