"""OneRoster 1.1 / 1.2 CSV bundles built in the shapes real exporters write (not a test module).

Column names and order follow the 1EdTech OneRoster CSV binding (1.1 "CSV Tables" and 1.2 "CSV
Binding"): manifest.csv is `propertyName,value` with `manifest.version`, `oneroster.version`,
`file.<name>` = bulk | delta | absent and `source.*`; every data file starts with
`sourcedId,status,dateLastModified`; status is blank in a bulk file and `active` / `tobedeleted` in
a delta; 1.2 moves a user's roles to roles.csv (`roleType` primary/secondary); extension columns are
`metadata.*` to the right of the defined ones.
"""

from __future__ import annotations

import io
import zipfile

MOD = "2026-09-01T07:00:00.000Z"

H11 = {
    "orgs": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
    "academicSessions": "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear",
    "courses": "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes",
    "classes": "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods",
    "users": "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password",
    "enrollments": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate",
    "demographics": "sourcedId,status,dateLastModified,birthDate,sex,americanIndianOrAlaskaNative,asian,blackOrAfricanAmerican,nativeHawaiianOrOtherPacificIslander,white,demographicRaceTwoOrMoreRaces,hispanicOrLatinoEthnicity,countryOfBirthCode,stateOfBirthAbbreviation,cityOfBirth,publicSchoolResidenceStatus",
    "resources": "sourcedId,status,dateLastModified,vendorResourceId,title,roles,importance,vendorId,applicationId",
}
H12_USERS = (
    "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,"
    "identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,resourceSourcedIds,"
    "preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns"
)
H12_ROLES = "sourcedId,status,dateLastModified,userSourcedId,roleType,role,orgSourcedId,userProfileSourcedId,beginDate,endDate"


def manifest(version: str = "1.1", mode: str = "bulk", files=(), absent=(), system="SOMtoday") -> str:
    lines = ["propertyName,value", "manifest.version,1.0", f"oneroster.version,{version}"]
    lines += [f"file.{name},{mode}" for name in files]
    lines += [f"file.{name},absent" for name in absent]
    lines += [f"source.systemName,{system}", f"source.systemCode,{system.lower()}"]
    return "\n".join(lines) + "\n"


def to_zip(files: dict[str, str], folder: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(f"{folder}{name}.csv", text)
    return buffer.getvalue()


def table(name: str, rows: list[str], header: str | None = None) -> str:
    return "\n".join([header or H11[name], *rows]) + "\n"


def two_orgs_11(*, a_identifier="SCH-0012", scheduled_only=False) -> dict[str, str]:
    """A board with two schools (exporter ids, no BRIN); school A has a child org (a department).

    School A: homeroom 2B (unless scheduled_only) and scheduled classes for wiskunde (course
    'Wiskunde') and Engels (no course: subject from the title); school B: its own student, teacher and class.
    """
    a = "org-a"
    orgs = [
        "bestuur,,,Stichting Beekdal,district,BEST-7,",
        f"{a},,,Beekdal Lyceum,school,{a_identifier},bestuur",
        f"org-a-bb,,,Beekdal Lyceum bovenbouw,department,SCH-0012-BB,{a}",
        "org-b,,,Het Andere College,school,SCH-0099,bestuur",
    ]
    sessions = ["sj,,,Schooljaar 2026/2027,schoolYear,2026-08-01,2027-07-31,,2027"]
    courses = [
        f"c-wi,,,sj,Wiskunde,WI,02,{a},Wiskunde,wi",
        f"c-men,,,sj,Mentoruur,MEN,02,{a},,",
        "c-bi,,,sj,Biologie,BI,02,org-b,Biologie,bi",
    ]
    classes = [
        f"l-2wi,,,2wi1,02,c-wi,2wi1,scheduled,,{a},sj,,,",
        "l-2en,,,2en1 Engels,02,,2en1,scheduled,,org-a-bb,sj,,,",
        f"l-2men,,,2B mentoruur,02,c-men,2men,scheduled,,{a},sj,,,",
        "l-b1,,,1bi,01,c-bi,1bi,scheduled,,org-b,sj,,,",
    ]
    if not scheduled_only:
        classes.insert(0, f"k-2B,,,2B,02,,2B,homeroom,,{a},sj,,,")
    users = [
        f"s1,,,true,{a},student,1001,,Sanne,de Vries,Maria,1001,,,,p1,02,",
        f"s2,,,true,{a},student,1002,,Daan,Jansen,,1002,,,,,02,",
        "s3,,,true,org-a-bb,student,1003,,Mila,van 't Hoek,,1003,,,,,03,",
        "s9,,,true,org-b,student,9001,,Bram,Buiten,,9001,,,,,01,",
        f"t1,,,true,{a},teacher,tom,,Tom,Leraar,,LER,tom@beekdal.test,,,,,",
        f"t2,,,true,{a},teacher,mirjam,,Mirjam,Mentor,,MEN,mirjam@beekdal.test,,,,,",
        "t9,,,true,org-b,teacher,xander,,Xander,Elders,,XE,xander@andere.test,,,,,",
        f"p1,,,true,{a},parent,,,Petra,de Vries,,,petra@thuis.test,,0612345678,s1,,",
        "p9,,,true,org-b,parent,,,Paul,Buiten,,,paul@thuis.test,,,s9,,",
    ]
    enrollments = [
        f"e4,,,l-2wi,{a},s1,student,false,,",
        f"e5,,,l-2wi,{a},s2,student,false,,",
        f"e6,,,l-2wi,{a},t1,teacher,true,,",
        "e7,,,l-2en,org-a-bb,s3,student,false,,",
        "e8,,,l-2en,org-a-bb,s1,student,false,,",
        "e9,,,l-2en,org-a-bb,t1,teacher,true,,",
        f"e10,,,l-2men,{a},s1,student,false,,",
        f"e11,,,l-2men,{a},s2,student,false,,",
        f"e12,,,l-2men,{a},s3,student,false,,",
        f"e13,,,l-2men,{a},t2,teacher,true,,",
        "e20,,,l-b1,org-b,s9,student,false,,",
        "e21,,,l-b1,org-b,t9,teacher,true,,",
    ]
    if not scheduled_only:
        enrollments[:0] = [
            f"e1,,,k-2B,{a},s1,student,false,,",
            f"e2,,,k-2B,{a},s2,student,false,,",
            f"e3,,,k-2B,{a},t2,teacher,true,,",
            f"e3b,,,k-2B,{a},s3,student,false,,",
        ]
    demographics = [
        "s1,,,2012-03-07,female,,,,,,,,NL,,,",
        "s2,,,2012-11-23,male,,,,,,,,NL,,,",
    ]
    files = {
        "orgs": table("orgs", orgs),
        "academicSessions": table("academicSessions", sessions),
        "courses": table("courses", courses),
        "classes": table("classes", classes),
        "users": table("users", users),
        "enrollments": table("enrollments", enrollments),
        "demographics": table("demographics", demographics),
        "resources": table("resources", []),  # header-only optional file
    }
    files["manifest"] = manifest("1.1", "bulk", [n for n in files if n != "resources"], absent=["results"])
    return files


def delta_11(rows_users: list[str], rows_enrollments: list[str] = (), demographics=()) -> dict[str, str]:
    """A delta: only changed records, with status and dateLastModified filled in."""
    files = {
        "users": table("users", rows_users),
        "enrollments": table("enrollments", list(rows_enrollments)),
        "orgs": table("orgs", []),
        "classes": table("classes", []),
    }
    if demographics:
        files["demographics"] = table("demographics", list(demographics))
    files["manifest"] = manifest("1.1", "delta", list(files))
    return files


def bundle_12(org_identifier="99XX") -> dict[str, str]:
    """OneRoster 1.2: roles.csv, primaryOrgSourcedId, a metadata.* tussenvoegsel column, lower-case headers."""
    users = [
        "s1,,,true,1001,,Sanne,Vries,Maria,1001,,,,,2,,,,,,,school-1,,de",
        "s2,,,true,1002,,Daan,Jansen,,1002,,,,,2,,,,,,,school-1,,",
        "t1,,,true,tom,,Tom,Leraar,,,tom@beekdal.test,,,,,,,,,,,school-1,,",
    ]
    roles = [
        "r1,,,s1,primary,student,school-1,,,",
        "r2,,,s2,primary,student,school-1,,,",
        "r3,,,t1,primary,teacher,school-1,,,",
    ]
    files = {
        "orgs": table("orgs", [f"school-1,,,Beekdal Lyceum,school,{org_identifier},"]),
        "classes": table("classes", ["c1,,,2B,2,,2B,homeroom,,school-1,,,,"]),
        "users": table("users", users, H12_USERS + ",metadata.tussenvoegsel"),
        "roles": table("roles", roles, H12_ROLES),
        "enrollments": table(
            "enrollments",
            [
                "e1,,,c1,school-1,s1,student,,,",
                "e2,,,c1,school-1,s2,student,,,",
                "e3,,,c1,school-1,t1,teacher,true,,",
            ],
        ),
        "demographics": table(
            "demographics",
            ["s1,,,2012-03-07,female,,,,,,,,,,,", "s2,,,2012-11-23,male,,,,,,,,,,,"],
            H11["demographics"].lower(),  # sourcedid,…,birthdate: some exporters lower-case every header
        ),
    }
    files["manifest"] = manifest("1.2", "bulk", list(files), system="Magister")
    return files
