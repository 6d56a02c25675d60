#!/usr/bin/env python3
"""Writes the JSON Schema benchmark corpus (schemas and instances) next to this script.

Deterministic: the same seed always writes the same bytes, so the files checked in can be
regenerated and compared. Every case has a schema, one valid instance and one invalid instance:

  certificate-request  ~250 B  a criminal-record certificate request (the contract example)
  person               ~1 KB   a civil-registry person record (Arabic and Latin names)
  case-file            ~12 KB  a court case file, nested 7 levels (parties, documents, hearings)
  registry-extract     ~100 KB a list of 106 person records
  vehicle-list         ~100 KB a page of 210 vehicle registrations with violations
  contact-directory    ~25 KB  120 agency contacts whose patterns have groups and alternation
                               (what SimplePattern does not take: RE2 runs them)

Usage: python3 bench/schema/generate.py
"""

import json
import os
import random
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
DRAFT = "https://json-schema.org/draft/2020-12/schema"

GOVERNORATES = ["Amman", "Irbid", "Zarqa", "Balqa", "Madaba", "Mafraq", "Jerash", "Ajloun", "Karak",
                "Tafilah", "Maan", "Aqaba"]
FIRST_AR = ["ليلى", "عمر", "خالد", "فاطمة", "يوسف", "مريم", "أحمد", "سارة", "حسن", "نور"]
FIRST_LAT = ["Layla", "Omar", "Khaled", "Fatima", "Yousef", "Maryam", "Ahmad", "Sara", "Hasan", "Nour"]
FAMILY_AR = ["حداد", "النجار", "العلي", "الخطيب", "المصري", "الزعبي", "العمري", "الحسيني"]
FAMILY_LAT = ["Haddad", "Al-Najjar", "Al-Ali", "Al-Khatib", "Al-Masri", "Al-Zoubi", "Al-Omari", "Al-Husseini"]
CITIES = ["Abdoun", "Jabal Amman", "Sweileh", "Tla' Al-Ali", "Khalda", "Marka", "Wadi Al-Seer"]


def string(max_length, min_length=0, pattern=None, fmt=None):
    schema = {"type": "string", "maxLength": max_length}
    if min_length:
        schema["minLength"] = min_length
    if pattern:
        schema["pattern"] = pattern
    if fmt:
        schema["format"] = fmt
    return schema


def closed(required, properties):
    return {"type": "object", "required": required, "additionalProperties": False, "properties": properties}


PERSON_DEFS = {
    "nationalId": {"type": "string", "pattern": "^[0-9]{10}$"},
    "date": {"type": "string", "format": "date"},
    "personName": closed(["first", "family"], {
        "first": string(64, 1), "father": string(64), "grandfather": string(64), "family": string(64, 1),
    }),
    "address": closed(["governorate", "city", "street"], {
        "governorate": {"enum": GOVERNORATES},
        "city": string(80, 1),
        "district": string(80),
        "street": string(120, 1),
        "building": string(16),
        "postalCode": {"type": "string", "pattern": "^[0-9]{5}$"},
        "location": closed(["lat", "lon"], {
            "lat": {"type": "number", "minimum": -90, "maximum": 90},
            "lon": {"type": "number", "minimum": -180, "maximum": 180},
        }),
    }),
    "identityDocument": closed(["kind", "number", "issuedOn", "expiresOn"], {
        "kind": {"enum": ["passport", "national-card", "driving-licence", "residence-permit"]},
        "number": {"type": "string", "pattern": "^[A-Z0-9]{6,12}$"},
        "issuedOn": {"$ref": "#/$defs/date"},
        "expiresOn": {"$ref": "#/$defs/date"},
        "issuer": string(64),
    }),
    "person": closed(["nationalId", "name", "nameLatin", "dateOfBirth", "sex", "nationality", "address", "status"], {
        "nationalId": {"$ref": "#/$defs/nationalId"},
        "name": {"$ref": "#/$defs/personName"},
        "nameLatin": {"$ref": "#/$defs/personName"},
        "dateOfBirth": {"$ref": "#/$defs/date"},
        "placeOfBirth": string(80),
        "sex": {"enum": ["male", "female"]},
        "nationality": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "maritalStatus": {"enum": ["single", "married", "divorced", "widowed"]},
        "status": {"enum": ["alive", "deceased"]},
        "address": {"$ref": "#/$defs/address"},
        "contact": {"type": "object", "additionalProperties": False, "properties": {
            "phone": {"type": "string", "pattern": "^\\+[0-9]{8,15}$"},
            "email": string(254, fmt="email"),
        }},
        "documents": {"type": "array", "maxItems": 10, "items": {"$ref": "#/$defs/identityDocument"}},
        "recordVersion": {"type": "integer", "minimum": 1},
        "registryOffice": {"type": "string", "pattern": "^[A-Z]{2}-[0-9]{3}$"},
    }),
}


def schema_with_defs(uri, root, defs):
    return {"$schema": DRAFT, "$id": uri, **root, "$defs": defs}


def date(rng, start=1940, end=2025):
    return f"{rng.randint(start, end):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def national_id(rng):
    return "".join(rng.choice("0123456789") for _ in range(10))


def person(rng):
    i, j = rng.randrange(len(FIRST_AR)), rng.randrange(len(FAMILY_AR))
    father, grandfather = rng.randrange(len(FIRST_AR)), rng.randrange(len(FIRST_AR))
    return {
        "nationalId": national_id(rng),
        "name": {"first": FIRST_AR[i], "father": FIRST_AR[father], "grandfather": FIRST_AR[grandfather],
                 "family": FAMILY_AR[j]},
        "nameLatin": {"first": FIRST_LAT[i], "father": FIRST_LAT[father], "grandfather": FIRST_LAT[grandfather],
                      "family": FAMILY_LAT[j]},
        "dateOfBirth": date(rng),
        "placeOfBirth": rng.choice(GOVERNORATES),
        "sex": rng.choice(["male", "female"]),
        "nationality": "JOR",
        "maritalStatus": rng.choice(["single", "married", "divorced", "widowed"]),
        "status": "alive",
        "address": {
            "governorate": rng.choice(GOVERNORATES),
            "city": rng.choice(CITIES),
            "district": f"District {rng.randint(1, 40)}",
            "street": f"{rng.choice(['King Hussein', 'Queen Rania', 'Al-Madina Al-Munawwara', 'Mecca'])} Street",
            "building": str(rng.randint(1, 300)),
            "postalCode": f"{rng.randint(10000, 99999)}",
            "location": {"lat": round(rng.uniform(29.2, 33.3), 6), "lon": round(rng.uniform(35.0, 39.3), 6)},
        },
        "contact": {"phone": f"+9627{rng.randint(70000000, 99999999)}",
                    "email": f"{FIRST_LAT[i].lower()}.{rng.randint(1, 999)}@example.gov.jo"},
        "documents": [
            {"kind": "national-card", "number": f"NC{rng.randint(1000000, 9999999)}", "issuedOn": date(rng, 2015, 2022),
             "expiresOn": date(rng, 2026, 2032), "issuer": "Civil Status and Passports Department"},
            {"kind": "passport", "number": f"P{rng.randint(10000000, 99999999)}", "issuedOn": date(rng, 2018, 2024),
             "expiresOn": date(rng, 2028, 2034), "issuer": "Civil Status and Passports Department"},
        ],
        "recordVersion": rng.randint(1, 9),
        "registryOffice": f"AM-{rng.randint(100, 999)}",
    }


def certificate_request():
    schema = {
        "$schema": DRAFT, "$id": "urn:rabt:bench:moj/criminal-record-certificate/1",
        **closed(["applicant", "purpose", "caseReference"], {
            "applicant": closed(["nationalId", "fullName", "dateOfBirth"], {
                "nationalId": {"$ref": "#/$defs/nationalId"},
                "fullName": {"$ref": "#/$defs/name"},
                "dateOfBirth": {"type": "string", "format": "date"},
            }),
            "purpose": {"enum": ["work-permit", "residency", "employment", "other"]},
            "caseReference": string(64),
            "fee": {"type": "number", "minimum": 0, "multipleOf": 0.01},
            "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 10, "uniqueItems": True},
        }),
        "$defs": {"nationalId": PERSON_DEFS["nationalId"],
                  "name": closed(["first", "family"], {"first": string(64, 1), "father": string(64),
                                                       "grandfather": string(64), "family": string(64, 1)})},
    }
    valid = {"applicant": {"nationalId": "9861034521", "fullName": {"first": "Layla", "father": "Omar",
                                                                   "grandfather": "Khalil", "family": "Haddad"},
                           "dateOfBirth": "1986-04-17"},
             "purpose": "work-permit", "caseReference": "MOL-2026-118204", "fee": 12.5, "tags": ["a", "b", "c"]}
    invalid = json.loads(json.dumps(valid))
    invalid["applicant"]["nationalId"] = "12AB"
    invalid["fee"] = 12.345
    return schema, valid, invalid


def person_case(rng):
    schema = schema_with_defs("urn:rabt:bench:civil-registry/person/1", {"$ref": "#/$defs/person"}, PERSON_DEFS)
    valid = person(rng)
    invalid = json.loads(json.dumps(valid))
    invalid["nationalId"] = "98610345X1"
    invalid["dateOfBirth"] = "1986-02-30"
    invalid["sex"] = "m"
    invalid["nickname"] = "Lulu"
    return schema, valid, invalid


def registry_extract(rng):
    schema = schema_with_defs("urn:rabt:bench:civil-registry/extract/1", closed(
        ["extractId", "generatedOn", "requestedBy", "records"], {
            "extractId": {"type": "string", "format": "uuid"},
            "generatedOn": {"$ref": "#/$defs/date"},
            "requestedBy": closed(["agency", "officer"], {
                "agency": {"type": "string", "pattern": "^[a-z][a-z0-9-]{1,31}$"},
                "officer": {"$ref": "#/$defs/nationalId"},
            }),
            "records": {"type": "array", "maxItems": 1000, "items": {"$ref": "#/$defs/person"}},
        }), PERSON_DEFS)
    records = []
    while len(json.dumps(records, ensure_ascii=False, separators=(",", ":")).encode()) < 100_000:
        records.append(person(rng))
    valid = {"extractId": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "generatedOn": "2026-11-26",
             "requestedBy": {"agency": "moi-traffic", "officer": national_id(rng)}, "records": records}
    invalid = json.loads(json.dumps(valid))
    invalid["records"][-1]["dateOfBirth"] = "1990-13-01"
    invalid["records"][-1]["address"]["postalCode"] = "1234"
    return schema, valid, invalid


def vehicle_list(rng):
    defs = {
        "date": {"type": "string", "format": "date"},
        "nationalId": PERSON_DEFS["nationalId"],
        "money": {"type": "number", "minimum": 0, "maximum": 100000, "multipleOf": 0.01},
        "violation": closed(["code", "on", "amount", "paid"], {
            "code": {"type": "string", "pattern": "^TV-[0-9]{3}$"},
            "on": {"$ref": "#/$defs/date"},
            "amount": {"$ref": "#/$defs/money"},
            "paid": {"type": "boolean"},
            "location": string(120),
        }),
        "vehicle": closed(["plate", "vin", "make", "model", "year", "owner", "registration"], {
            "plate": {"type": "string", "pattern": "^[0-9]{1,2}-[0-9]{3,5}$"},
            "vin": {"type": "string", "pattern": "^[A-HJ-NPR-Z0-9]{17}$"},
            "make": string(40, 1),
            "model": string(40, 1),
            "year": {"type": "integer", "minimum": 1950, "maximum": 2027},
            "colour": {"enum": ["white", "black", "silver", "grey", "red", "blue", "green", "other"]},
            "fuel": {"enum": ["petrol", "diesel", "hybrid", "electric", "lpg"]},
            "engineCc": {"type": "integer", "minimum": 0, "maximum": 10000},
            "owner": {"$ref": "#/$defs/nationalId"},
            "registration": closed(["validUntil", "category"], {
                "validUntil": {"$ref": "#/$defs/date"},
                "category": {"enum": ["private", "taxi", "public", "commercial", "government"]},
            }),
            "insurance": closed(["insurer", "policy", "validUntil"], {
                "insurer": string(80, 1),
                "policy": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{6,10}$"},
                "validUntil": {"$ref": "#/$defs/date"},
            }),
            "violations": {"type": "array", "maxItems": 50, "items": {"$ref": "#/$defs/violation"}},
        }),
    }
    schema = schema_with_defs("urn:rabt:bench:moi-traffic/vehicle-list/1", closed(["page", "pageSize", "total", "vehicles"], {
        "page": {"type": "integer", "minimum": 1},
        "pageSize": {"type": "integer", "minimum": 1, "maximum": 500},
        "total": {"type": "integer", "minimum": 0},
        "vehicles": {"type": "array", "maxItems": 500, "items": {"$ref": "#/$defs/vehicle"}},
    }), defs)
    vin_chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    makes = [("Toyota", "Corolla"), ("Hyundai", "Elantra"), ("Kia", "Sportage"), ("Nissan", "Sunny"),
             ("Mitsubishi", "Lancer"), ("Mercedes-Benz", "E 200"), ("Chevrolet", "Malibu")]
    vehicles = []
    while len(json.dumps(vehicles, separators=(",", ":")).encode()) < 100_000:
        make, model = rng.choice(makes)
        vehicle = {
            "plate": f"{rng.randint(10, 99)}-{rng.randint(100, 99999)}",
            "vin": "".join(rng.choice(vin_chars) for _ in range(17)),
            "make": make, "model": model, "year": rng.randint(1995, 2026),
            "colour": rng.choice(["white", "black", "silver", "grey", "red", "blue"]),
            "fuel": rng.choice(["petrol", "diesel", "hybrid", "electric"]),
            "engineCc": rng.choice([1200, 1600, 2000, 2400]),
            "owner": national_id(rng),
            "registration": {"validUntil": date(rng, 2026, 2027), "category": rng.choice(["private", "taxi", "commercial"])},
            "insurance": {"insurer": "Jordan Insurance Company", "policy": f"JIC-{rng.randint(100000, 99999999)}",
                          "validUntil": date(rng, 2026, 2027)},
            "violations": [{"code": f"TV-{rng.randint(100, 999)}", "on": date(rng, 2023, 2026),
                            "amount": rng.choice([15, 20, 30, 50, 150.5]), "paid": rng.random() < 0.7,
                            "location": "Airport Road, km 12"} for _ in range(rng.randint(0, 3))],
        }
        vehicles.append(vehicle)
    valid = {"page": 1, "pageSize": 500, "total": len(vehicles), "vehicles": vehicles}
    invalid = json.loads(json.dumps(valid))
    invalid["vehicles"][-2]["vin"] = "1HGCM82633A00435I"
    invalid["vehicles"][-1]["year"] = 2031
    del invalid["vehicles"][-1]["owner"]
    return schema, valid, invalid


def case_file(rng):
    defs = {
        "date": {"type": "string", "format": "date"},
        "nationalId": PERSON_DEFS["nationalId"],
        "personName": PERSON_DEFS["personName"],
        "caseNumber": {"type": "string", "pattern": "^[A-Z]{3}/[0-9]{4}/[0-9]{1,6}$"},
        "party": {
            "type": "object",
            "required": ["kind", "role"],
            "properties": {"role": {"enum": ["claimant", "defendant", "witness", "expert", "counsel"]}},
            "oneOf": [
                closed(["kind", "role", "nationalId", "name"], {
                    "kind": {"const": "person"}, "role": True,
                    "nationalId": {"$ref": "#/$defs/nationalId"},
                    "name": {"$ref": "#/$defs/personName"},
                    "representedBy": {"type": "array", "items": {"$ref": "#/$defs/party"}},
                }),
                closed(["kind", "role", "registrationNumber", "legalName"], {
                    "kind": {"const": "organisation"}, "role": True,
                    "registrationNumber": {"type": "string", "pattern": "^[0-9]{9}$"},
                    "legalName": string(200, 1),
                    "representedBy": {"type": "array", "items": {"$ref": "#/$defs/party"}},
                }),
            ],
        },
        "attachment": closed(["fileName", "mediaType", "size", "sha256"], {
            "fileName": string(255, 1),
            "mediaType": {"enum": ["application/pdf", "image/jpeg", "image/png"]},
            "size": {"type": "integer", "minimum": 1, "maximum": 52428800},
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        }),
        "document": closed(["id", "kind", "title", "filedOn", "filedBy"], {
            "id": {"type": "string", "format": "uuid"},
            "kind": {"enum": ["statement-of-claim", "defence", "evidence", "expert-report", "judgment", "order"]},
            "title": string(200, 1),
            "filedOn": {"$ref": "#/$defs/date"},
            "filedBy": {"$ref": "#/$defs/nationalId"},
            "pages": {"type": "integer", "minimum": 1},
            "confidential": {"type": "boolean"},
            "attachments": {"type": "array", "maxItems": 20, "items": {"$ref": "#/$defs/attachment"}},
        }),
        "hearing": closed(["on", "courtroom", "panel"], {
            "on": {"$ref": "#/$defs/date"},
            "courtroom": string(16, 1),
            "panel": {"type": "array", "minItems": 1, "maxItems": 5, "items": closed(["judgeId", "name"], {
                "judgeId": {"type": "string", "pattern": "^J[0-9]{5}$"},
                "name": {"$ref": "#/$defs/personName"},
                "presiding": {"type": "boolean"},
            })},
            "outcome": closed(["decision"], {
                "decision": {"enum": ["adjourned", "evidence-admitted", "judgment-reserved", "judgment-delivered"]},
                "orders": {"type": "array", "items": closed(["text", "addressedTo"], {
                    "text": string(2000, 1),
                    "addressedTo": {"$ref": "#/$defs/nationalId"},
                    "dueOn": {"$ref": "#/$defs/date"},
                })},
            }),
        }),
    }
    schema = schema_with_defs("urn:rabt:bench:moj/case-file/1", closed(
        ["caseNumber", "court", "filedOn", "status", "parties", "documents"], {
            "caseNumber": {"$ref": "#/$defs/caseNumber"},
            "court": closed(["code", "name", "level"], {
                "code": {"type": "string", "pattern": "^[A-Z]{2}-[0-9]{2}$"},
                "name": string(120, 1),
                "level": {"enum": ["magistrate", "first-instance", "appeal", "cassation"]},
            }),
            "filedOn": {"$ref": "#/$defs/date"},
            "status": {"enum": ["open", "suspended", "closed", "appealed"]},
            "subject": string(500),
            "claimValue": {"type": "number", "minimum": 0, "multipleOf": 0.001},
            "parties": {"type": "array", "minItems": 2, "items": {"$ref": "#/$defs/party"}},
            "documents": {"type": "array", "items": {"$ref": "#/$defs/document"}},
            "hearings": {"type": "array", "items": {"$ref": "#/$defs/hearing"}},
            "linkedCases": {"type": "array", "uniqueItems": True, "items": {"$ref": "#/$defs/caseNumber"}},
        }), defs)

    def name(i):
        return {"first": FIRST_LAT[i % 10], "father": FIRST_LAT[(i + 3) % 10], "family": FAMILY_LAT[i % 8]}

    def person_party(role, i, counsel=True):
        party = {"kind": "person", "role": role, "nationalId": national_id(rng), "name": name(i)}
        if counsel:
            party["representedBy"] = [person_party("counsel", i + 1, counsel=False)]
        return party

    parties = [person_party("claimant", 1), person_party("claimant", 2),
               {"kind": "organisation", "role": "defendant", "registrationNumber": "200145678",
                "legalName": "Arab Contracting and Building Company",
                "representedBy": [person_party("counsel", 4, counsel=False)]},
               person_party("witness", 5, counsel=False), person_party("expert", 6, counsel=False)]
    documents = []
    for k in range(14):
        documents.append({
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "kind": rng.choice(["statement-of-claim", "defence", "evidence", "expert-report", "order"]),
            "title": f"Exhibit {k + 1}: {rng.choice(['site survey', 'payment records', 'contract addendum', 'inspection report'])}",
            "filedOn": date(rng, 2024, 2026), "filedBy": national_id(rng), "pages": rng.randint(1, 120),
            "confidential": rng.random() < 0.2,
            "attachments": [{"fileName": f"exhibit-{k + 1}-{a + 1}.pdf", "mediaType": "application/pdf",
                             "size": rng.randint(20000, 5000000), "sha256": "%064x" % rng.getrandbits(256)}
                            for a in range(rng.randint(1, 3))],
        })
    hearings = []
    for k in range(6):
        hearings.append({
            "on": date(rng, 2025, 2026), "courtroom": f"C-{rng.randint(1, 30)}",
            "panel": [{"judgeId": f"J{rng.randint(10000, 99999)}", "name": name(k + p), "presiding": p == 0} for p in range(3)],
            "outcome": {"decision": rng.choice(["adjourned", "evidence-admitted", "judgment-reserved"]),
                        "orders": [{"text": "The defendant shall file the site inspection report and the payment "
                                            "ledger for 2023 and 2024 with the registry.",
                                    "addressedTo": national_id(rng), "dueOn": date(rng, 2026, 2026)}
                                   for _ in range(rng.randint(1, 2))]},
        })
    valid = {"caseNumber": "CIV/2025/10482", "court": {"code": "AM-01", "name": "Amman Court of First Instance",
                                                       "level": "first-instance"},
             "filedOn": "2025-03-02", "status": "open",
             "subject": "Claim for unpaid works under a construction contract",
             "claimValue": 184250.75, "parties": parties, "documents": documents, "hearings": hearings,
             "linkedCases": ["CIV/2024/88121", "EXE/2025/301"]}
    invalid = json.loads(json.dumps(valid))
    del invalid["parties"][1]["nationalId"]
    invalid["documents"][9]["attachments"][0]["sha256"] = invalid["documents"][9]["attachments"][0]["sha256"].upper()
    invalid["hearings"][5]["outcome"]["orders"][0]["dueOn"] = "2026-02-31"
    return schema, valid, invalid


# Patterns with groups and alternation, as contracts write them for e-mail addresses, names in
# Latin and Arabic script, phone numbers, postcodes and dates; no \\p{...}, which Python's re lacks.
LETTERS = "A-Za-z\\u00C0-\\u024F\\u0600-\\u06FF"
CONTACT_PATTERNS = {
    "email": "^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}$",
    "name": f"^[{LETTERS}]+(['\\u2019 -][{LETTERS}]+)*$",
    "phone": "^(\\+|00)[1-9][0-9]{7,14}$",
    "postcode": "^([0-9]{5}|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$",
    "date": "^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
    "extension": "^x-[a-z]+(-[a-z]+)*$",
}


def contact_directory(rng):
    contact = closed(["name", "email", "phone", "since"], {
        "name": {"type": "string", "pattern": CONTACT_PATTERNS["name"]},
        "email": {"type": "string", "pattern": CONTACT_PATTERNS["email"]},
        "phone": {"type": "string", "pattern": CONTACT_PATTERNS["phone"]},
        "postcode": {"type": "string", "pattern": CONTACT_PATTERNS["postcode"]},
        "since": {"type": "string", "pattern": CONTACT_PATTERNS["date"]},
        "extensions": {"type": "object", "additionalProperties": False,
                       "patternProperties": {CONTACT_PATTERNS["extension"]: {"type": "string", "maxLength": 64}}},
    })
    schema = {"$schema": DRAFT, "$id": "urn:rabt:bench:directory/contacts/1", "type": "object",
              "required": ["contacts"], "properties": {"contacts": {"type": "array", "items": contact}}}
    contacts = []
    for _ in range(120):
        i, j = rng.randrange(len(FIRST_LAT)), rng.randrange(len(FAMILY_LAT))
        arabic = rng.random() < 0.5
        name = f"{FIRST_AR[i]} {FAMILY_AR[j % len(FAMILY_AR)]}" if arabic else f"{FIRST_LAT[i]} {FAMILY_LAT[j]}"
        contacts.append({
            "name": name,
            "email": f"{FIRST_LAT[i].lower()}.{FAMILY_LAT[j].lower().replace('-', '')}@{rng.choice(['moj', 'mol', 'cspd'])}.gov.jo",
            "phone": "00962" + "".join(rng.choice("0123456789") for _ in range(9)),
            "postcode": "".join(rng.choice("0123456789") for _ in range(5)),
            "since": date(rng, 1990, 2025),
            "extensions": {"x-desk": f"{rng.randint(1, 40)}", "x-building-wing": rng.choice(["north", "south"])},
        })
    valid = {"contacts": contacts}
    invalid = json.loads(json.dumps(valid))
    invalid["contacts"][-1]["email"] = "no-at-sign.gov.jo"
    invalid["contacts"][-1]["since"] = "2026-13-01"
    invalid["contacts"][-1]["extensions"]["x-Desk"] = "1"
    return schema, valid, invalid


def write(name, value):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=1 if name.endswith("schema.json") else None,
                  separators=None if name.endswith("schema.json") else (",", ":"))
        f.write("\n")


def main():
    rng = random.Random(20261126)
    cases = [("certificate-request", certificate_request()), ("person", person_case(rng)),
             ("case-file", case_file(rng)), ("registry-extract", registry_extract(rng)),
             ("vehicle-list", vehicle_list(rng)), ("contact-directory", contact_directory(rng))]
    for name, (schema, valid, invalid) in cases:
        write(f"{name}.schema.json", schema)
        write(f"{name}.valid.json", valid)
        write(f"{name}.invalid.json", invalid)
    with open(os.path.join(HERE, "cases.txt"), "w") as f:
        f.write("\n".join(name for name, _ in cases) + "\n")


if __name__ == "__main__":
    main()
