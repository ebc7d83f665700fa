from .calendar import HolidayKind, SchoolHoliday
from .imports import ImportFormat, ImportMapping, ImportRun, ImportStatus
from .organisation import Board, Department, Group, Phase, Region, School, SchoolKind, SchoolYear
from .people import GroupMembership, Guardian, GuardianRelation, Student
from .staff import ApiKey, BoardMember, Mentorship, Role, RoleAssignment, StaffMember, TeachingAssignment
from .throttle import RateCounter
from .users import User

__all__ = [
    "ApiKey",
    "Board",
    "BoardMember",
    "Department",
    "Group",
    "GroupMembership",
    "Guardian",
    "GuardianRelation",
    "HolidayKind",
    "ImportFormat",
    "ImportMapping",
    "ImportRun",
    "ImportStatus",
    "Phase",
    "RateCounter",
    "Region",
    "Role",
    "RoleAssignment",
    "School",
    "SchoolHoliday",
    "SchoolKind",
    "SchoolYear",
    "StaffMember",
    "Student",
    "TeachingAssignment",
    "Mentorship",
    "User",
]
