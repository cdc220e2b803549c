"""The access policies of the cases service: every route takes its caller through one of these.

What each policy means is enforced in this package: `scope` (which people and cases a caller
may see, as SQL), `sensitive` (which fields and categories, and the audit of every read).
"""

from typing import Annotated

from fastapi import Depends

from shared.access import policy
from shared.auth import Principal, Role

PERSONAL_DATA_ROLES = (
    Role.PROVINCE_OFFICER,
    Role.COMMUNE_WORKER,
    Role.FACILITY_WORKER,
    Role.INTEGRATION,
)

PERSONAL_DATA = policy(
    "personal_data",
    set(PERSONAL_DATA_ROLES),
    "People and cases inside the caller's unit scope (province, ward and assigned cases, or "
    "facility); outside it a record answers 404. Sensitive fields and categories only with "
    "scope sensitive:read and a stated purpose (X-Access-Purpose); filtering on a sensitive "
    "category needs both too. Every read of a person's or case's record is in the access log.",
)
ACCESS_AUDIT = policy(
    "access_audit",
    {Role.PROVINCE_OFFICER},
    "Who read a person's records, when and why: province officers, for people of their "
    "province (the person's right to know, Law 91/2025).",
)
TRANSFER_REQUEST = policy(
    "transfer_request",
    {Role.PROVINCE_OFFICER, Role.COMMUNE_WORKER},
    "The unit holding a person (its province's officers, its ward's commune workers) asks "
    "the province of the person's new ward to take them over.",
)
TRANSFER_INBOX = policy(
    "transfer_inbox",
    {Role.PROVINCE_OFFICER},
    "Transfers of people into or out of the caller's province: the receiving province's "
    "officers accept or decline them. Only non-sensitive fields of the person are shown.",
)
PERSON_MERGE = policy(
    "person_merge",
    {Role.PROVINCE_OFFICER},
    "Merging two records of one person, and undoing a merge: the officers of the province "
    "both records are in; a record of another province answers 404. Choosing the merged "
    "record's value of a sensitive field needs scope sensitive:read.",
)
DUPLICATE_REVIEW = policy(
    "duplicate_review",
    {Role.PROVINCE_OFFICER},
    "A province's officers find likely duplicate people of their province and review each "
    "pair: only pairs whose two people are both in the caller's province, with their "
    "non-sensitive fields; viewing a pair is in both people's access log.",
)
PEOPLE_IMPORT = policy(
    "people_import",
    {Role.PROVINCE_OFFICER},
    "A province's officers import people from the department's sheets, into wards of their "
    "province; each sees only the import jobs they started. Sensitive categories in a sheet "
    "need scope sensitive:read, as on POST /persons.",
)
AGGREGATES = policy(
    "aggregates",
    {Role.SERVICE, Role.PROVINCE_OFFICER},
    "Counts of distinct people for the reporting service and the province's own officers. "
    "Sensitive categories count only for callers with sensitive:read and a purpose, and the "
    "people counted in them are logged; for anyone else the numbers are computed as if those "
    "categories did not exist. The ministry gets the plans' figures from reporting, through "
    "its disclosure control, not these.",
)

CaseworkCaller = Annotated[Principal, Depends(PERSONAL_DATA.dependency())]
AuditCaller = Annotated[Principal, Depends(ACCESS_AUDIT.dependency())]
TransferRequester = Annotated[Principal, Depends(TRANSFER_REQUEST.dependency())]
TransferCaller = Annotated[Principal, Depends(TRANSFER_INBOX.dependency())]
MergeCaller = Annotated[Principal, Depends(PERSON_MERGE.dependency())]
DuplicateReviewer = Annotated[Principal, Depends(DUPLICATE_REVIEW.dependency())]
AggregateCaller = Annotated[Principal, Depends(AGGREGATES.dependency())]
PeopleImporter = Annotated[Principal, Depends(PEOPLE_IMPORT.dependency())]
