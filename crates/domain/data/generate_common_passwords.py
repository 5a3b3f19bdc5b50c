#!/usr/bin/env python3
"""Write common-passwords.txt, the block list that PasswordPolicy loads at compile time.

The list holds only passwords that the other rules accept (8 to 200 characters, at least one
letter and one digit), because other entries could never reach the block-list check. Entries
are lower-case, since the comparison ignores case. Run this script from any directory after
changing the word lists; it rewrites the file next to it.
"""

from pathlib import Path

# Passwords that rank high in public lists of leaked passwords and meet the composition rules.
WELL_KNOWN = """
password1 password12 password123 password1234 password12345 password2 password01 1password
passw0rd p@ssw0rd p@ssword1 p@ssword123 pa55word pa55w0rd passw0rd1 passw0rd123
abc12345 abcd1234 abc123456 abc123abc a1b2c3d4 a1b2c3d4e5 1a2b3c4d abcde12345 12345abc
123456abc 1234abcd 1234qwer 12345qwert 123qwe123 123qweasd qweasd123 qazwsx123 qwe123qwe
1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y 1qaz2wsx 1qazxsw2 1qaz2wsx3edc zaq12wsx zaq1xsw2 zaq1zaq1
q1w2e3r4 q1w2e3r4t5 q1w2e3r4t5y6 qwerty12 qwerty123 qwerty1234 qwerty12345 qwerty123456
qwe12345 qwer1234 qwert123 qwert12345 asdf1234 asdfgh12 asdfgh123 asd12345 zxcv1234
zxcvbn123 zxc12345 1234567a a1234567 aa123456 aaa12345 q1234567 a12345678 1234567q
iloveyou1 iloveyou2 iloveyou12 iloveyou123 letmein1 letmein123 welcome1 welcome12
welcome123 monkey123 dragon123 trustno1 sunshine1 princess1 football1 baseball1
master123 shadow123 superman1 batman123 michael1 jordan23 charlie1 computer1 internet1
starwars1 pokemon1 liverpool1 chelsea1 arsenal1 samsung1 hello123 hello1234 test1234
test12345 testtest1 admin123 admin1234 admin12345 administrator1 root1234 user1234
login123 changeme1 secret123 access14 google123 soccer12 hockey12 hunter12 killer12
ginger12 matrix123 freedom1 whatever1 cheese123 flower123 summer123 summer12 loveyou1
lovely123 angel123 mustang1 jennifer1 michelle1 daniel123 jessica1 ashley123 babygirl1
football12 baseball12 basketball1 spiderman1 iloveu123 123abc123 abc123abc123 asdasd123
qwertyui1 1qwerty1 qwerty1q 1234asdf 12341234a aa112233 a123456789 abcd12345 789456123a
987654321a 147258369a 159357abc 1q1q1q1q 2wsx3edc 3edc4rfv 1qa2ws3ed zxcvbnm1 zxcvbnm123
qwertyuiop1 asdfghjkl1 password1! p4ssw0rd p4ssword 1passw0rd pass1234 pass12345
pass123456 mypassword1 newpassword1 passwort1 motdepasse1 contrasena1 parola123
""".split()

# Swedish words that people often build passwords from, in both the proper spelling and
# the spelling without å, ä and ö.
SWEDISH_WORDS = """
lösenord losenord lösen losen hemligt hemlig hejsan hallå hallo välkommen valkommen
sverige svenska stockholm göteborg goteborg malmö malmo uppsala västerås vasteras örebro
orebro linköping linkoping helsingborg norrköping norrkoping jönköping jonkoping umeå umea
lund luleå lulea gävle gavle sundsvall kiruna gotland skåne skane norrland
sommar vinter hösten hosten våren varen midsommar julafton påsk pask semester
januari februari mars april maj juni juli augusti september oktober november december
måndag mandag tisdag onsdag torsdag fredag lördag lordag söndag sondag
fotboll hockey innebandy handboll bandy hammarby djurgården djurgarden aik ifk blåvitt
blavitt malmöff malmoff frölunda frolunda färjestad farjestad brynäs brynas luleåhockey
volvo saab scania ikea ericsson spotify zlatan abba
katten katt hunden hund kanin häst hast mamma pappa mormor farmor morfar farfar
älskling alskling kärlek karlek jagälskardig jagalskardig puss kramar prinsessa
solsken blomma bamse pippi nisse tomte jultomte snögubbe snogubbe glass kaffe fika
kanelbulle godis choklad kebab pizza öl ol snus
dator datorn internet telefon mobil jobbet arbete skolan skola
incert incertonline certifikat kylteknik kyla köldmedier koldmedier värmepump varmepump
kyltekniker elektriker rörmokare rormokare installation
""".split()

# Common Swedish given names.
SWEDISH_NAMES = """
anna eva maria karin sara kristina lena emma kerstin ingrid marie malin jenny hanna
linnea elin ida sofia julia alice maja ella wilma olivia ebba astrid saga freja elsa
erik lars karl anders johan per nils jan mikael hans peter thomas daniel fredrik
andreas stefan magnus mattias jonas martin alexander oscar william lucas hugo elias
liam noah adam axel leo olle viktor filip isak emil anton gustav kalle sven bengt
göran goran åsa asa håkan hakan björn bjorn jörgen jorgen sören soren
""".split()

NUMBER_SUFFIXES = ["1", "12", "123", "1234", "12345", "123456"]
PUNCTUATED_SUFFIXES = ["1!", "123!"]

# Words that people combine with a year, as in "Sommar2024" or "Lösenord2025".
YEAR_WORDS = """
lösenord losenord sommar vinter hösten hosten våren varen midsommar jul julafton
januari februari mars april maj juni juli augusti september oktober november december
sverige stockholm göteborg goteborg malmö malmo hammarby djurgården djurgarden aik ifk
välkommen valkommen incert password summer winter spring autumn welcome
""".split()
YEARS = range(2015, 2031)


def accepted_by_other_rules(candidate: str) -> bool:
    length_ok = 8 <= len(candidate) <= 200
    has_letter = any(ch.isalpha() for ch in candidate)
    has_digit = any(ch.isnumeric() for ch in candidate)
    return length_ok and has_letter and has_digit


def candidates():
    yield from WELL_KNOWN
    for word in SWEDISH_WORDS + SWEDISH_NAMES:
        for suffix in NUMBER_SUFFIXES + PUNCTUATED_SUFFIXES:
            yield word + suffix
    for word in YEAR_WORDS:
        for year in YEARS:
            yield f"{word}{year}"
            yield f"{word}{year}!"
            yield f"{word}{year % 100:02}"


def main():
    entries = sorted({c.lower() for c in candidates() if accepted_by_other_rules(c.lower())})
    header = [
        "# Common passwords that meet the other password rules, one per line, in lower case.",
        "# Generated by generate_common_passwords.py; edit the word lists there.",
        "# Contents: passwords that rank high in public lists of leaked passwords; Swedish words,",
        "# place names, sports clubs and given names followed by common digit suffixes; and",
        "# seasons, months and other words followed by a year from 2015 to 2030.",
    ]
    path = Path(__file__).with_name("common-passwords.txt")
    path.write_text("\n".join(header + entries) + "\n", encoding="utf-8")
    print(f"wrote {len(entries)} entries to {path}")


if __name__ == "__main__":
    main()
