#!/usr/bin/env python3
"""SQL for the sandbox's source database: the three tables `pinctl emulate --source db` reads,
with the column names of the pipeline's real tables.

Prints a script that (re)creates pinterest_data, geolocation_data and user_data and fills each with ROWS rows
(default 1200) generated from a fixed seed, so every sandbox holds the same rows. Row r of each table shares one
index/ind value (indexes have gaps, like the real tables). Some rows carry the dirty values the later cleaning
step deals with: "User Info Error", "No Title Data Available", "No description available Story format",
"Image src error.", follower counts like "5k" and "1M", tag lists of single characters, multi-video entries.

usage: source_db.py [ROWS] | mariadb ... DATABASE
"""
import random
import sys
from datetime import datetime, timedelta

CATEGORIES = ["art", "beauty", "christmas", "diy-and-crafts", "education", "event-planning", "finance",
              "home-decor", "mens-fashion", "quotes", "tattoos", "travel", "vehicles"]
WORDS = ["simple", "easy", "cozy", "bright", "minimal", "vintage", "rustic", "modern", "ideas", "tips",
         "inspiration", "guide", "projects", "decor", "outfits", "quotes"]
FIRST = ["Alexandra", "Brian", "Chloe", "Daniel", "Emily", "Farah", "George", "Hana", "Isaac", "Julia", "Kwame",
         "Lena", "Zoë", "O'Neil"]
LAST = ["Adams", "Baker", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jones", "Khan", "Lopez"]
COUNTRIES = ["Afghanistan", "Albania", "Argentina", "Australia", "Brazil", "Canada", "Côte d'Ivoire", "France",
             "India", "Japan", "Kenya", "Mexico", "Norway", "United Kingdom"]

SCHEMA = """
DROP TABLE IF EXISTS pinterest_data, geolocation_data, user_data;
CREATE TABLE pinterest_data (
  `index` INT NOT NULL PRIMARY KEY, unique_id TEXT, title TEXT, description TEXT, poster_name TEXT,
  follower_count TEXT, tag_list TEXT, is_image_or_video TEXT, image_src TEXT, downloaded INT,
  save_location TEXT, category TEXT
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE geolocation_data (
  ind INT NOT NULL PRIMARY KEY, `timestamp` DATETIME, latitude DOUBLE, longitude DOUBLE, country TEXT
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE user_data (
  ind INT NOT NULL PRIMARY KEY, first_name TEXT, last_name TEXT, age INT, date_joined DATETIME
) DEFAULT CHARSET=utf8mb4;
"""


def sql(value):
    if value is None:
        return "NULL"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, datetime):
        return "'" + value.strftime("%Y-%m-%d %H:%M:%S") + "'"
    return "'" + str(value).replace("\\", "\\\\").replace("'", "''") + "'"


def when(rng, first_year, last_year):
    start = datetime(first_year, 1, 1)
    return start + timedelta(seconds=rng.randrange(int((datetime(last_year, 12, 31) - start).total_seconds())))


def followers(rng):
    n = rng.choice([rng.randrange(0, 1000), rng.randrange(1, 999) * 1000, rng.randrange(1, 9) * 1_000_000])
    if n >= 1_000_000:
        return f"{n // 1_000_000}M"
    if n >= 1000:
        return f"{n // 1000}k"
    return str(n)


def rows(count):
    rng = random.Random(100)
    index = 0
    for r in range(count):
        index += rng.randrange(1, 12)  # gaps, so index != row position
        category = rng.choice(CATEGORIES)
        title = f"{rng.choice(WORDS)} {category.replace('-', ' ')} {rng.choice(WORDS)}".capitalize()
        video = rng.random() < 0.15
        pin = {
            "index": index,
            "unique_id": "%08x-%04x-4%03x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12),
                                                       0x8000 | rng.getrandbits(14), rng.getrandbits(48)),
            "title": title,
            "description": f"Find {title.lower()} for every budget: \"quotes\", tabs\tand unicode ✓ included.",
            "poster_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "follower_count": followers(rng),
            "tag_list": ",".join(rng.sample(WORDS, 3)),
            "is_image_or_video": "video" if video else "image",
            "image_src": "https://i.pinimg.com/originals/%02x/%02x/%032x.jpg" % (
                rng.getrandbits(8), rng.getrandbits(8), rng.getrandbits(128)),
            "downloaded": 1,
            "save_location": f"Local save in /data/{category}",
            "category": category,
        }
        dirt = r % 10
        if dirt == 1:
            pin.update(title="No Title Data Available", description="No description available Story format",
                       poster_name="User Info Error", follower_count="User Info Error",
                       image_src="Image src error.", downloaded=0)
        elif dirt == 3:
            pin.update(tag_list="N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e", is_image_or_video="multi-video(story page format)")
        elif dirt == 7:
            pin.update(description="No description available", follower_count=rng.choice(["5k", "1M", "12k", "3M"]))
        geo = {"ind": index, "timestamp": when(rng, 2018, 2022), "latitude": round(rng.uniform(-90, 90), 6),
               "longitude": round(rng.uniform(-180, 180), 6), "country": rng.choice(COUNTRIES)}
        user = {"ind": index, "first_name": rng.choice(FIRST), "last_name": rng.choice(LAST),
                "age": rng.randrange(18, 68), "date_joined": when(rng, 2015, 2017)}
        yield pin, geo, user


def insert(table, records):
    columns = ", ".join(f"`{c}`" for c in records[0])
    values = ",\n".join("(" + ", ".join(sql(v) for v in rec.values()) + ")" for rec in records)
    return f"INSERT INTO {table} ({columns}) VALUES\n{values};\n"


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1200
    out = sys.stdout
    out.write("SET NAMES utf8mb4;\n" + SCHEMA)
    batch = {"pinterest_data": [], "geolocation_data": [], "user_data": []}
    for pin, geo, user in rows(count):
        batch["pinterest_data"].append(pin)
        batch["geolocation_data"].append(geo)
        batch["user_data"].append(user)
        if len(batch["user_data"]) == 200:
            for table, records in batch.items():
                out.write(insert(table, records))
                records.clear()
    for table, records in batch.items():
        if records:
            out.write(insert(table, records))


if __name__ == "__main__":
    main()
