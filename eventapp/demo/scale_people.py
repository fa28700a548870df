"""Invented names, organisations and topics for the scale meeting, in the scripts badges print."""

from __future__ import annotations

import random

#: (given names, family names) per script; people are mixed within a script, never across.
NAMES: list[tuple[list[str], list[str]]] = [
    (
        ["Amina", "Sofía", "Chloé", "Ingrid", "Zoë", "Małgorzata", "Thandiwe", "Leilani"],
        ["Diallo", "García", "Dubois", "Ólafsdóttir", "Nguyễn", "Kowalczyk", "Mokoena", "Kahale"],
    ),
    (
        ["Fatima", "Olena", "Ayşe", "Grace", "Marta", "Nomvula", "Keiko", "Priya"],
        ["Okonkwo", "Shevchenko", "Yılmaz", "Mensah", "Lindqvist", "Dlamini", "Tanaka", "Sharma"],
    ),
    (["فاطمة", "ليلى", "مريم", "نور", "سلمى"], ["الحسن", "المنصوري", "حداد", "العلي", "يوسف"]),
    (["Анна", "Ольга", "Мария", "Наталья", "Ирина"], ["Иванова", "Петренко", "Смирнова", "Коваленко", "Соколова"]),
    (["秀英", "丽华", "美玲", "静", "芳"], ["王", "李", "张", "刘", "陈"]),
    (["प्रिया", "अनीता", "सुनीता", "कविता", "मीरा"], ["शर्मा", "वर्मा", "पटेल", "सिंह", "गुप्ता"]),
    (["Ελένη", "Μαρία", "Σοφία", "Κατερίνα"], ["Παπαδοπούλου", "Γεωργίου", "Νικολάου", "Οικονόμου"]),
    (["ሄለን", "መሰረት", "ትዕግስት", "ብርቱካን"], ["ታደሰ", "በቀለ", "ገብሩ", "ወልደ"]),
    (["ნინო", "თამარ", "მარიამ", "ეკა"], ["ბერიძე", "კაპანაძე", "გელაშვილი", "ლომიძე"]),
    (["Անի", "Նարե", "Լուսինե", "Մարիամ"], ["Հարությունյան", "Սարգսյան", "Պետրոսյան", "Գրիգորյան"]),
    (["นภา", "สุดา", "มาลี", "วรรณา"], ["ศรีสุข", "วงศ์ใหญ่", "ทองดี", "แก้วมณี"]),
    (["נועה", "מיכל", "רחל", "תמר"], ["כהן", "לוי", "מזרחי", "פרץ"]),
]

ORGANISATIONS = [
    "Women's Voices for Peace",
    "Institute for Peace and Security Studies",
    "Parliamentary Forum on Gender Equality",
    "Radio Paix Sahel",
    "Red de Mujeres Mediadoras",
    "Centre for Inclusive Security Research",
    "Coalition of Women Peacebuilders",
    "Global Network of Youth Mediators",
    "شبكة النساء للسلام",
    "Ассоциация женщин-миротворцев",
]

POSITIONS = [
    "Director",
    "Programme Officer",
    "Senior Adviser",
    "Member of Parliament",
    "Researcher",
    "Journalist",
    "Counsellor",
    "WPS Focal Point",
]

TRACKS = [
    "National Action Plan Implementation",
    "The Role and Responsibilities of WPS Focal Points",
    "WPS Sustainability",
    "Financing for women peacebuilders",
    "Prevention",
]

SESSION_TOPICS = [
    "Localising National Action Plans",
    "Monitoring and reporting on WPS commitments",
    "Women mediators in peace processes",
    "Climate, security and gender",
    "Protection of women human rights defenders",
    "Youth, peace and security",
    "Gender-responsive security budgets",
    "Regional organisations and WPS",
    "Centers of Excellence exchange",
    "Lessons from the Focal Points Network",
]

DIETARY = ["Vegetarian", "vegetarian", "Vegan", "Halal", "Kosher", "Gluten-free", "No nuts (allergy)"]
ACCESSIBILITY = ["Wheelchair access", "Sign language interpretation", "Seat near the front", "Step-free route"]


def person_needs(rng: random.Random) -> tuple[str, str]:
    """(dietary, accessibility) needs: about one person in five and one in thirty ask for something."""
    dietary = rng.choice(DIETARY) if rng.random() < 0.2 else ""
    accessibility = rng.choice(ACCESSIBILITY) if rng.random() < 0.03 else ""
    return dietary, accessibility
