"""The demo newsroom's original, fictional content: The Lantern (Фонарь), in English and Russian."""

# Everything here is invented: the outlet, the country of Varnia (capital Ostrel), its towns,
# people, companies and institutions. Links point only to the reserved domain example.org.
#
# Conventions used by the demo loader:
# - colours are RGB tuples for generated placeholder images;
# - "photographer" is an index into PHOTOGRAPHERS;
# - "days_ago" is the publish time relative to now; "scheduled" stories also carry
#   "days_ahead" (publish time in the future) and "draft" stories are never published;
# - "updated_hours_after" is None, or hours after publication when the story was updated;
# - the English and Russian bodies of a story have the same block kinds in the same order.

NEWSROOM = {
    "en": {
        "name": "The Lantern",
        "tagline": (
            "Independent journalism for Varnia. No ads, no owners — paid for by our readers."
        ),
    },
    "ru": {
        "name": "Фонарь",
        "tagline": (
            "Независимая журналистика для Варнии. Без рекламы и без хозяев — на деньги читателей."
        ),
    },
}

SECTIONS = [
    {
        "slug": "news",
        "en": {
            "title": "News",
            "description": (
                "Daily reporting from Ostrel and the regions: councils, courts, prices, rivers and "
                "the people who have to live with the decisions."
            ),
        },
        "ru": {
            "title": "Новости",
            "description": (
                "Новости Остреля и регионов каждый день: советы, суды, цены, реки — и люди, "
                "которым приходится жить с последствиями решений."
            ),
        },
    },
    {
        "slug": "investigations",
        "en": {
            "title": "Investigations",
            "description": (
                "Long-form reporting that follows the money, the paperwork and the people behind "
                "Varnia’s public contracts."
            ),
        },
        "ru": {
            "title": "Расследования",
            "description": (
                "Большие расследования: мы идём по следу денег, документов и людей, которые стоят "
                "за государственными контрактами Варнии."
            ),
        },
    },
    {
        "slug": "opinion",
        "en": {
            "title": "Opinion",
            "description": (
                "Columns and essays by Lantern journalists and guest writers. Signed, argued and "
                "open to reply."
            ),
        },
        "ru": {
            "title": "Мнения",
            "description": (
                "Колонки и эссе журналистов «Фонаря» и приглашённых авторов. Под своими именами, с "
                "аргументами и с правом на ответ."
            ),
        },
    },
    {
        "slug": "culture",
        "en": {
            "title": "Culture",
            "description": (
                "Theatre, books, music and the art Varnians make at home and abroad — including "
                "the work that can no longer be shown in Ostrel."
            ),
        },
        "ru": {
            "title": "Культура",
            "description": (
                "Театр, книги, музыка и искусство, которое варнийцы создают дома и за границей, — "
                "в том числе то, что в Остреле больше показывать нельзя."
            ),
        },
    },
]

AUTHORS = [
    {
        "slug": "anna-kovar",
        "photo_colour": (176, 58, 46),
        "en": {
            "name": "Anna Kovar",
            "role": "Investigations editor",
            "bio": (
                "<p>Anna Kovar leads The Lantern’s investigations desk. For nine years she covered "
                "public procurement and state-owned companies for the <i>Ostrel Business "
                "Weekly</i>, until its owners closed it. She reads company registers the way other "
                "people read novels, and she answers every tip that reaches her.</p>"
            ),
        },
        "ru": {
            "name": "Анна Ковар",
            "role": "редактор отдела расследований",
            "bio": (
                "<p>Анна Ковар руководит отделом расследований «Фонаря». Девять лет она писала о "
                "госзакупках и государственных компаниях для еженедельника «Деловая неделя "
                "Остреля», пока владельцы не закрыли издание. Она читает реестры компаний так, как "
                "другие читают романы, и отвечает на каждое письмо с информацией.</p>"
            ),
        },
    },
    {
        "slug": "ilya-marten",
        "photo_colour": (52, 101, 164),
        "en": {
            "name": "Ilya Marten",
            "role": "Courts correspondent",
            "bio": (
                "<p>Ilya Marten trained as a lawyer before becoming a court reporter. He has "
                "covered more than three hundred hearings in Varnian courts, from tax disputes to "
                "political trials, and now follows them from Kessvik with the help of defendants’ "
                "relatives, lawyers and volunteer observers.</p>"
            ),
        },
        "ru": {
            "name": "Илья Мартен",
            "role": "судебный корреспондент",
            "bio": (
                "<p>Илья Мартен получил юридическое образование, прежде чем стать судебным "
                "репортёром. Он освещал больше трёхсот заседаний в судах Варнии — от налоговых "
                "споров до политических процессов, а теперь следит за ними из Кессвика с помощью "
                "родственников подсудимых, адвокатов и волонтёров-наблюдателей.</p>"
            ),
        },
    },
    {
        "slug": "dara-velesk",
        "photo_colour": (46, 125, 50),
        "en": {
            "name": "Dara Velesk",
            "role": "Environment reporter",
            "bio": (
                "<p>Dara Velesk grew up in Dolna Sela, on the delta of the river she now writes "
                "about. Before joining The Lantern she worked as a technician at a regional "
                "water-quality laboratory. She coordinates our network of volunteers who take "
                "water samples along the Sela.</p>"
            ),
        },
        "ru": {
            "name": "Дара Велеск",
            "role": "корреспондент по экологии",
            "bio": (
                "<p>Дара Велеск выросла в Дольна-Селе, в дельте реки, о которой теперь пишет. До "
                "прихода в «Фонарь» она работала лаборантом в региональной лаборатории по контролю "
                "качества воды. Она координирует нашу сеть волонтёров, которые берут пробы воды на "
                "Селе.</p>"
            ),
        },
    },
    {
        "slug": "timur-oskol",
        "photo_colour": (191, 112, 38),
        "en": {
            "name": "Timur Oskol",
            "role": "News editor",
            "bio": (
                "<p>Timur Oskol runs The Lantern’s daily news desk. He spent twelve years covering "
                "Ostrel city hall and the regions for a public radio station, and he still "
                "believes that most important stories begin at a council meeting nobody else "
                "attended.</p>"
            ),
        },
        "ru": {
            "name": "Тимур Оскол",
            "role": "редактор отдела новостей",
            "bio": (
                "<p>Тимур Оскол руководит ежедневной новостной службой «Фонаря». Двенадцать лет он "
                "освещал работу мэрии Остреля и жизнь регионов для общественной радиостанции и до "
                "сих пор уверен, что большинство важных историй начинается на заседании совета, "
                "куда больше никто не пришёл.</p>"
            ),
        },
    },
    {
        "slug": "vera-halm",
        "photo_colour": (123, 75, 148),
        "en": {
            "name": "Vera Halm",
            "role": "Culture editor",
            "bio": (
                "<p>Vera Halm edits The Lantern’s culture section. She was a theatre and literary "
                "critic in Ostrel for fifteen years and presented a weekly books programme on "
                "public radio until it was taken off the air. She lives in Kessvik and still goes "
                "to the theatre three times a week.</p>"
            ),
        },
        "ru": {
            "name": "Вера Хальм",
            "role": "редактор отдела культуры",
            "bio": (
                "<p>Вера Хальм — редактор отдела культуры «Фонаря». Пятнадцать лет она была "
                "театральным и литературным критиком в Остреле и вела еженедельную передачу о "
                "книгах на общественном радио, пока её не сняли с эфира. Живёт в Кессвике и "
                "по-прежнему ходит в театр три раза в неделю.</p>"
            ),
        },
    },
    {
        "slug": "marek-dolin",
        "photo_colour": (44, 62, 80),
        "en": {
            "name": "Marek Dolin",
            "role": "Editor-in-chief",
            "bio": (
                "<p>Marek Dolin is the founding editor-in-chief of The Lantern. He worked for "
                "eleven years at newspapers in Ostrel, the last four as deputy editor of a "
                "national daily, before leaving the country with four colleagues to start an "
                "independent newsroom funded by its readers.</p>"
            ),
        },
        "ru": {
            "name": "Марек Долин",
            "role": "главный редактор",
            "bio": (
                "<p>Марек Долин — основатель и главный редактор «Фонаря». Одиннадцать лет он "
                "работал в острельских газетах, последние четыре года — заместителем главного "
                "редактора общенациональной ежедневной газеты, а затем уехал из страны вместе с "
                "четырьмя коллегами, чтобы создать независимую редакцию, которая живёт на деньги "
                "читателей.</p>"
            ),
        },
    },
]

PHOTOGRAPHERS = [
    ("Lena Sorvik", "Lantern Photo"),
    ("Yuri Batten", "Northlight Agency"),
    ("Sabina Orlek", "Riverbank Images"),
    ("Gleb Tarnov", "Free Frame Collective"),
    ("Mira Kelst", "Kessvik Press Pictures"),
]

ARTICLES = [
    # News
    {
        "slug": "ostrel-council-cuts-transport-subsidies",
        "section": "news",
        "authors": ["timur-oskol"],
        "days_ago": 0,
        "updated_hours_after": None,
        "tags": {"en": ["local government", "prices"], "ru": ["местная власть", "цены"]},
        "status": "live",
        "lead_photo": {
            "colour": (72, 84, 96),
            "photographer": 0,
            "en": {
                "alt": (
                    "Councillors seated in a semicircle in the Ostrel city council chamber during "
                    "a vote."
                ),
                "caption": (
                    "The Ostrel city council chamber during the budget debate. Thirty-one of "
                    "forty-five members voted in favour."
                ),
            },
            "ru": {
                "alt": (
                    "Депутаты сидят полукругом в зале заседаний городского совета Остреля во время "
                    "голосования."
                ),
                "caption": (
                    "Зал заседаний городского совета Остреля во время обсуждения бюджета. За "
                    "документ проголосовали 31 из 45 депутатов."
                ),
            },
        },
        "en": {
            "headline": (
                "Ostrel council cuts tram and bus subsidies by a third in late-night budget vote"
            ),
            "standfirst": (
                "Fares on the capital’s public transport are expected to rise next month. "
                "Opposition councillors say the savings will pay for a new administrative building "
                "on Republic Square."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Ostrel’s city council approved next year’s budget shortly before "
                    "midnight, after a session that ran for more than nine hours and was closed "
                    "to the public for the final three. The budget reduces the subsidy paid to "
                    "Ostrel Municipal Transport, which runs the city’s trams and buses, by 34 "
                    "percent. Council staff did not publish the final version of the document "
                    "until the following morning. The Lantern has obtained a copy and published "
                    "the transport chapter in full <a "
                    'href="https://example.org/documents/ostrel-budget-transport">here</a>.</p>',
                ),
                (
                    "paragraph",
                    "<p>Thirty-one of the forty-five councillors voted in favour, eleven voted "
                    "against and three abstained. The mayor, Radomir Tesh, did not speak during "
                    "the debate but told reporters outside the chamber that the city could not "
                    "“keep paying for empty trams”. Ridership figures published by the transport "
                    "company itself show that trams carried more passengers last year than in any "
                    "of the previous five years.</p>",
                ),
                ("subhead", "What will change for passengers"),
                (
                    "paragraph",
                    "<p>The transport company has not yet announced new fares, but an internal "
                    "memo seen by The Lantern proposes raising a single ticket from 40 to 55 "
                    "varns and the monthly pass from 900 to 1,300 varns. Discounts for pensioners "
                    "would apply only outside peak hours. Three night routes, including the line "
                    "that links the Holmovo housing estates with the central hospital, would be "
                    "suspended “for review”. A spokesperson for the company said the memo was "
                    "“one of several working scenarios”.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Nobody on this council takes the night tram home from a hospital "
                            "shift. That is why this budget looks the way it does."
                        ),
                        "attribution": "Olga Reznik, councillor for the Holmovo district",
                    },
                ),
                (
                    "paragraph",
                    "<p>The same budget increases spending on the city administration by 210 "
                    "million varns, most of it earmarked for the reconstruction of a former bank "
                    "building on Republic Square as new offices for the mayor’s staff. Councillor "
                    "Olga Reznik, who voted against, said the building project had never been "
                    "discussed in committee. The mayor’s office said the move would save money on "
                    "rent in the long term but did not provide calculations when asked.</p>",
                ),
                ("subhead", "Behind closed doors"),
                (
                    "paragraph",
                    "<p>Members of the public and accredited journalists were asked to leave the "
                    "chamber at 9 p.m., after the council chair cited a “risk of disorder”. About "
                    "forty people had gathered in the gallery, many of them members of a "
                    "passengers’ association that had collected 12,000 signatures against the "
                    "cuts. The association says it will ask the administrative court to review "
                    "whether closing the session was lawful. Under Ostrel’s city charter, budget "
                    "debates must be held in public unless two thirds of councillors vote "
                    "otherwise; the minutes record no such vote.</p>",
                ),
            ],
        },
        "ru": {
            "headline": (
                "Совет Остреля урезал дотации трамваям и автобусам на треть — бюджет приняли "
                "поздно ночью"
            ),
            "standfirst": (
                "Проезд в общественном транспорте столицы, по всей видимости, подорожает уже в "
                "следующем месяце. Оппозиционные депутаты говорят, что сэкономленные деньги пойдут "
                "на новое административное здание на площади Республики."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Городской совет Остреля утвердил бюджет на следующий год незадолго до "
                    "полуночи — после заседания, которое длилось больше девяти часов, причём "
                    "последние три часа прошли в закрытом режиме. Бюджет сокращает дотацию "
                    "предприятию «Острельский муниципальный транспорт», которое обслуживает "
                    "городские трамваи и автобусы, на 34%. Аппарат совета опубликовал итоговую "
                    "версию документа только на следующее утро. «Фонарь» получил копию и "
                    "публикует раздел о транспорте полностью <a "
                    'href="https://example.org/documents/ostrel-budget-transport">по этой '
                    "ссылке</a>.</p>",
                ),
                (
                    "paragraph",
                    "<p>За бюджет проголосовали 31 из 45 депутатов, 11 были против, трое "
                    "воздержались. Мэр Радомир Теш во время дебатов не выступал, но после "
                    "заседания сказал журналистам, что город не может «и дальше платить за пустые "
                    "трамваи». При этом, по данным самого транспортного предприятия, в прошлом "
                    "году трамваи перевезли больше пассажиров, чем в любой из пяти предыдущих "
                    "лет.</p>",
                ),
                ("subhead", "Что изменится для пассажиров"),
                (
                    "paragraph",
                    "<p>Новые тарифы предприятие пока не объявило, но во внутренней служебной "
                    "записке, которую видел «Фонарь», предлагается поднять цену разового билета с "
                    "40 до 55 варнов, а месячного проездного — с 900 до 1300 варнов. Льготы для "
                    "пенсионеров будут действовать только вне часов пик. Три ночных маршрута, в "
                    "том числе линию, которая связывает жилые кварталы Холмова с центральной "
                    "больницей, планируется приостановить «для пересмотра». Представитель "
                    "предприятия назвал записку «одним из нескольких рабочих сценариев».</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Никто в этом совете не возвращается домой с больничной смены на "
                            "ночном трамвае. Поэтому бюджет и выглядит так, как выглядит."
                        ),
                        "attribution": "Ольга Резник, депутат от района Холмово",
                    },
                ),
                (
                    "paragraph",
                    "<p>Тот же бюджет увеличивает расходы на городскую администрацию на 210 млн "
                    "варнов — большая часть этих денег пойдёт на реконструкцию бывшего здания "
                    "банка на площади Республики под новые кабинеты для аппарата мэра. Депутат "
                    "Ольга Резник, голосовавшая против, заявила, что проект здания ни разу не "
                    "обсуждался в профильном комитете. В мэрии утверждают, что переезд в "
                    "долгосрочной перспективе сэкономит деньги на аренде, однако расчётов по "
                    "нашему запросу не предоставили.</p>",
                ),
                ("subhead", "За закрытыми дверями"),
                (
                    "paragraph",
                    "<p>В девять вечера зрителей и аккредитованных журналистов попросили покинуть "
                    "зал: председатель совета сослался на «риск беспорядков». На галерее к тому "
                    "моменту собрались около сорока человек, многие — из ассоциации пассажиров, "
                    "которая собрала 12 тысяч подписей против сокращений. В ассоциации говорят, "
                    "что попросят административный суд проверить, законно ли было закрывать "
                    "заседание. Согласно уставу Остреля, бюджет обсуждается публично, если только "
                    "две трети депутатов не проголосуют за иное; в протоколе такого голосования "
                    "нет.</p>",
                ),
            ],
        },
    },
    {
        "slug": "dolna-sela-flood-warning",
        "section": "news",
        "authors": ["dara-velesk"],
        "days_ago": 1,
        "updated_hours_after": 6,
        "tags": {
            "en": ["Sela river", "environment", "regions"],
            "ru": ["река Села", "экология", "регионы"],
        },
        "status": "live",
        "lead_photo": {
            "colour": (96, 125, 139),
            "photographer": 2,
            "en": {
                "alt": (
                    "Brown floodwater covering a road lined with poplar trees on the edge of Dolna "
                    "Sela."
                ),
                "caption": (
                    "The road from Dolna Sela to the ferry landing, already under water on the "
                    "morning the warning was issued."
                ),
            },
            "ru": {
                "alt": "Мутная вода заливает дорогу, обсаженную тополями, на окраине Дольна-Селы.",
                "caption": (
                    "Дорога от Дольна-Селы к паромной пристани утром в день, когда объявили угрозу "
                    "наводнения, уже была под водой."
                ),
            },
        },
        "en": {
            "headline": "Flood warning for Dolna Sela as the river rises faster than forecast",
            "standfirst": (
                "Residents of the delta town have been told to prepare for evacuation. Officials "
                "say the dam upstream is safe; engineers who used to maintain it are less sure."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>The regional emergency service raised its flood warning for Dolna Sela to "
                    "the highest level after the Sela rose by 1.4 metres in 36 hours at the "
                    "town’s gauging station. Meltwater from the northern hills, combined with "
                    "three days of heavy rain, has swollen the river along its entire lower "
                    "course. Schools in the town have been closed, and buses are on standby to "
                    "move residents of the lowest streets to the sports hall in Vyrsk, twenty "
                    "kilometres inland. About 6,000 people live in the parts of town that flooded "
                    "the last time the river reached this level.</p>",
                ),
                (
                    "paragraph",
                    "<p>The service’s forecast, published the previous evening, had predicted "
                    "that the water would peak half a metre lower. A hydrologist at the regional "
                    "weather office, who asked not to be named because staff are not allowed to "
                    "speak to independent media, said the office had lost four of its seven "
                    "upstream gauges to budget cuts over the past two years. “We are forecasting "
                    "a river we can only see at the very end,” the hydrologist said.</p>",
                ),
                ("subhead", "Questions about the Kaldun dam"),
                (
                    "paragraph",
                    "<p>Upstream, the reservoir behind the Kaldun dam is close to its maximum "
                    "level, and the operator has begun releasing water through the spillway. The "
                    "regional governor’s office said in a statement that the dam was “fully safe "
                    "and under constant supervision”. Two former maintenance engineers told The "
                    "Lantern that repairs to one of the spillway gates, scheduled since the last "
                    "flood, had never been carried out. The operator, Sela Hydro, did not respond "
                    "to written questions.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "We have sandbags, we have a boat, and we have the phone number of a "
                            "neighbour who owns a tractor. That is our evacuation plan."
                        ),
                        "attribution": "Marta Hollin, resident of Embankment Street, Dolna Sela",
                    },
                ),
                (
                    "embed",
                    {
                        "url": "https://example.org/video/dolna-sela-flood",
                        "title": "Dolna Sela: the water reaches Embankment Street",
                        "source": "Video",
                        "description": (
                            "Footage filmed by a resident of Dolna Sela on the morning the flood "
                            "warning was raised. 2 min."
                        ),
                    },
                ),
                (
                    "paragraph",
                    "<p>On Embankment Street, closest to the river, most families had moved their "
                    "furniture to upper floors by the afternoon. Several residents said they had "
                    "received the evacuation notice by text message but no information about "
                    "where to take pets or livestock. The town’s only pharmacy was handing out "
                    "water-purification tablets free of charge. Volunteers from the parish church "
                    "were filling sandbags in the square next to the ferry landing.</p>",
                ),
                ("subhead", "Update"),
                (
                    "paragraph",
                    "<p><b>Update:</b> In the evening the emergency service said the river at "
                    "Dolna Sela had stabilised and that the evacuation remained voluntary. Sela "
                    "Hydro reduced the release from the Kaldun reservoir after the governor’s "
                    "office intervened. We will continue to follow the situation on the river and "
                    "will publish Sela Hydro’s answers if they arrive.</p>",
                ),
            ],
        },
        "ru": {
            "headline": (
                "В Дольна-Селе объявили угрозу наводнения: река поднимается быстрее прогноза"
            ),
            "standfirst": (
                "Жителей городка в дельте попросили готовиться к эвакуации. Чиновники уверяют, что "
                "плотина выше по течению в безопасности, — инженеры, которые раньше её "
                "обслуживали, в этом не так уверены."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Региональная служба по чрезвычайным ситуациям подняла уровень угрозы "
                    "наводнения в Дольна-Селе до максимального после того, как за 36 часов вода "
                    "на городском гидропосту поднялась на 1,4 метра. Талые воды с северных холмов "
                    "вместе с тремя днями сильных дождей переполнили реку на всём нижнем течении. "
                    "Школы в городе закрыты, а автобусы наготове, чтобы вывезти жителей самых "
                    "низких улиц в спортивный зал Вырска, в двадцати километрах от реки. В "
                    "районах, которые затопило в прошлый раз, когда вода доходила до такой "
                    "отметки, живут около 6000 человек.</p>",
                ),
                (
                    "paragraph",
                    "<p>Прогноз службы, опубликованный накануне вечером, обещал, что пик будет на "
                    "полметра ниже. Гидролог регионального метеобюро, попросивший не называть его "
                    "имени, потому что сотрудникам запрещено общаться с независимыми СМИ, "
                    "рассказал, что за последние два года из-за сокращения бюджета бюро лишилось "
                    "четырёх из семи гидропостов выше по течению. «Мы прогнозируем реку, которую "
                    "видим только в самом конце», — сказал он.</p>",
                ),
                ("subhead", "Вопросы к Калдунской плотине"),
                (
                    "paragraph",
                    "<p>Выше по течению водохранилище за Калдунской плотиной почти заполнено, и "
                    "оператор начал сбрасывать воду через водосброс. Администрация губернатора "
                    "заявила, что плотина «полностью безопасна и находится под постоянным "
                    "контролем». Двое бывших инженеров-ремонтников рассказали «Фонарю», что "
                    "ремонт одного из затворов водосброса, запланированный ещё после прошлого "
                    "наводнения, так и не провели. Оператор плотины, компания «Села Гидро», на "
                    "письменные вопросы не ответил.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "У нас есть мешки с песком, лодка и телефон соседа, у которого есть "
                            "трактор. Вот и весь наш план эвакуации."
                        ),
                        "attribution": "Марта Холлин, жительница Набережной улицы в Дольна-Селе",
                    },
                ),
                (
                    "embed",
                    {
                        "url": "https://example.org/video/dolna-sela-flood",
                        "title": "Дольна-Села: вода подходит к Набережной улице",
                        "source": "Видео",
                        "description": (
                            "Съёмка одного из жителей Дольна-Селы утром в день, когда объявили "
                            "угрозу наводнения. 2 мин."
                        ),
                    },
                ),
                (
                    "paragraph",
                    "<p>На Набережной улице, ближе всего к реке, к середине дня большинство семей "
                    "уже перенесли мебель на верхние этажи. Несколько жителей рассказали, что "
                    "получили уведомление об эвакуации по СМС, но никакой информации о том, куда "
                    "девать домашних животных и скот, в нём не было. Единственная аптека в городе "
                    "бесплатно раздавала таблетки для обеззараживания воды. Волонтёры из "
                    "приходской церкви набивали мешки песком на площади у паромной пристани.</p>",
                ),
                ("subhead", "Обновление"),
                (
                    "paragraph",
                    "<p><b>Обновление:</b> Вечером служба по чрезвычайным ситуациям сообщила, что "
                    "уровень реки в Дольна-Селе стабилизировался, а эвакуация остаётся "
                    "добровольной. «Села Гидро» сократила сброс из Калдунского водохранилища "
                    "после вмешательства администрации губернатора. Мы продолжаем следить за "
                    "ситуацией на реке и опубликуем ответы «Села Гидро», если они поступят.</p>",
                ),
            ],
        },
    },
    {
        "slug": "kaldun-freelance-reporter-detained",
        "section": "news",
        "authors": ["ilya-marten"],
        "days_ago": 0,
        "updated_hours_after": 4,
        "tags": {
            "en": ["press freedom", "courts", "regions"],
            "ru": ["свобода прессы", "суды", "регионы"],
        },
        "status": "live",
        "lead_photo": {
            "colour": (55, 71, 79),
            "photographer": 3,
            "en": {
                "alt": (
                    "The entrance to the Kaldun district police station, a grey two-storey "
                    "building behind a metal fence."
                ),
                "caption": (
                    "The Kaldun district police station, where Stas Rovny was held overnight."
                ),
            },
            "ru": {
                "alt": (
                    "Вход в районное отделение полиции Калдуна — серое двухэтажное здание за "
                    "металлическим забором."
                ),
                "caption": "Районное отделение полиции в Калдуне, где Стас Ровный провёл ночь.",
            },
        },
        "en": {
            "headline": (
                "Freelance reporter detained in Kaldun after filming queue outside hospital"
            ),
            "standfirst": (
                "Stas Rovny, who has contributed to The Lantern and other independent outlets, "
                "faces a charge of “spreading false information about public institutions”. His "
                "lawyer says she was denied access to him for eleven hours."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Police in Kaldun detained the freelance journalist Stas Rovny on the "
                    "evening after he filmed a queue of patients outside the town’s central "
                    "hospital, according to his lawyer and his partner. Rovny, 34, had posted a "
                    "short video showing dozens of people, several of them elderly, standing in "
                    "the rain in front of the closed outpatient entrance. The video was viewed "
                    "more than 200,000 times before it was removed from his channel. Officers "
                    "arrived at his flat about three hours later and took him away, along with "
                    "his laptop and two phones.</p>",
                ),
                (
                    "paragraph",
                    "<p>Rovny’s lawyer, Natalia Brisk, said she was not allowed to see him until "
                    "the following morning, eleven hours after the detention. Under Varnian law, "
                    "a detained person has the right to a lawyer from the moment of arrest. The "
                    "district police department confirmed the detention in a two-line statement "
                    "and said Rovny was suspected of “spreading knowingly false information about "
                    "the work of public institutions”, an offence that carries up to five years "
                    "in prison.</p>",
                ),
                ("subhead", "A law used against reporters"),
                (
                    "paragraph",
                    "<p>The article under which Rovny is being investigated was added to the "
                    "criminal code three years ago. According to a count kept by the Varnian "
                    "Media Defence Fund, it has since been used against at least 27 journalists, "
                    "bloggers and activists; none of the cases that reached court ended in "
                    "acquittal. The hospital administration told local state television that the "
                    "queue had been caused by “a temporary technical fault in the electronic "
                    "registration system”. It did not dispute that the video showed real "
                    "patients.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "He filmed people standing in the rain. The hospital itself says they "
                            "were there. What exactly is false?"
                        ),
                        "attribution": "Natalia Brisk, Stas Rovny’s lawyer",
                    },
                ),
                (
                    "paragraph",
                    "<p>Rovny has reported on the Kaldun region for The Lantern since last year, "
                    "most recently on the closure of the hospital’s maternity ward. He was not on "
                    "assignment for us when he filmed the video. Our editors are in contact with "
                    "his family and his lawyer, and we will pay his legal costs, as we have "
                    "promised to do for every freelance contributor.</p>",
                ),
                ("subhead", "Update"),
                (
                    "paragraph",
                    "<p><b>Update:</b> The Kaldun district court has placed Stas Rovny under "
                    "house arrest for two months while the investigation continues. He is "
                    "forbidden from using the internet and from speaking to anyone except his "
                    "partner and his lawyer. Natalia Brisk said she would appeal.</p>",
                ),
            ],
        },
        "ru": {
            "headline": "В Калдуне задержали журналиста-фрилансера, снявшего очередь у больницы",
            "standfirst": (
                "Стасу Ровному, который сотрудничал с «Фонарём» и другими независимыми изданиями, "
                "грозит обвинение в «распространении ложной информации о государственных "
                "учреждениях». По словам адвоката, её не пускали к нему одиннадцать часов."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Полиция Калдуна задержала журналиста-фрилансера Стаса Ровного вечером "
                    "того дня, когда он снял очередь пациентов у центральной городской больницы, "
                    "рассказали его адвокат и его партнёрша. 34-летний Ровный опубликовал "
                    "короткое видео, на котором десятки людей, среди них несколько пожилых, стоят "
                    "под дождём у закрытого входа в поликлиническое отделение. До того как ролик "
                    "удалили с его канала, его посмотрели больше 200 тысяч раз. Примерно через "
                    "три часа полицейские пришли к нему домой и увезли его вместе с ноутбуком и "
                    "двумя телефонами.</p>",
                ),
                (
                    "paragraph",
                    "<p>Адвокат Ровного Наталья Бриск рассказала, что её пустили к нему только на "
                    "следующее утро — через одиннадцать часов после задержания. По законам Варнии "
                    "задержанный имеет право на адвоката с момента задержания. Районное "
                    "управление полиции подтвердило задержание в заявлении из двух строк: Ровного "
                    "подозревают в «распространении заведомо ложной информации о деятельности "
                    "государственных учреждений». За это грозит до пяти лет лишения свободы.</p>",
                ),
                ("subhead", "Закон против журналистов"),
                (
                    "paragraph",
                    "<p>Статья, по которой проверяют Ровного, появилась в Уголовном кодексе три "
                    "года назад. По подсчётам Варнийского фонда защиты СМИ, с тех пор её "
                    "применили как минимум к 27 журналистам, блогерам и активистам; ни одно из "
                    "дел, дошедших до суда, не закончилось оправданием. Администрация больницы "
                    "заявила местному государственному телевидению, что очередь возникла из-за "
                    "«временного технического сбоя в системе электронной регистрации». При этом в "
                    "больнице не оспаривают, что на видео — настоящие пациенты.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Он снял людей, которые стояли под дождём. Больница сама признаёт, что "
                            "они там были. Что именно здесь ложь?"
                        ),
                        "attribution": "Наталья Бриск, адвокат Стаса Ровного",
                    },
                ),
                (
                    "paragraph",
                    "<p>С прошлого года Ровный писал для «Фонаря» о Калдунском районе — последний "
                    "его материал был о закрытии родильного отделения городской больницы. Видео у "
                    "больницы он снимал не по нашему заданию. Редакция поддерживает связь с его "
                    "семьёй и адвокатом, и мы оплатим его юридическую защиту — как обещали делать "
                    "для каждого внештатного автора.</p>",
                ),
                ("subhead", "Обновление"),
                (
                    "paragraph",
                    "<p><b>Обновление:</b> Калдунский районный суд отправил Стаса Ровного под "
                    "домашний арест на два месяца на время следствия. Ему запрещено пользоваться "
                    "интернетом и общаться с кем-либо, кроме партнёрши и адвоката. Наталья Бриск "
                    "заявила, что обжалует это решение.</p>",
                ),
            ],
        },
    },
    {
        "slug": "ministry-plans-village-school-closures",
        "section": "news",
        "authors": ["timur-oskol"],
        "days_ago": 5,
        "updated_hours_after": None,
        "tags": {"en": ["schools", "regions"], "ru": ["школы", "регионы"]},
        "status": "live",
        "lead_photo": {
            "colour": (141, 110, 99),
            "photographer": 1,
            "en": {
                "alt": (
                    "An empty classroom with wooden desks and a wood-burning stove in a village "
                    "school."
                ),
                "caption": (
                    "A classroom at the primary school in Brody, one of the schools on the "
                    "ministry’s list."
                ),
            },
            "ru": {
                "alt": "Пустой класс с деревянными партами и дровяной печью в сельской школе.",
                "caption": (
                    "Класс начальной школы в Бродах — одной из школ, попавших в список "
                    "министерства."
                ),
            },
        },
        "en": {
            "headline": (
                "Ministry plans to close 43 village schools and bus pupils to district centres"
            ),
            "standfirst": (
                "A draft order from the education ministry, obtained by The Lantern, lists schools "
                "in four regions that would shut by the start of the next school year. Parents "
                "have not been told."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Varnia’s education ministry is preparing to close 43 village schools in "
                    "the Pradno, Kaldun, Lisovar and Lower Sela regions, according to a draft "
                    "order obtained by The Lantern. The document, dated last month and marked "
                    "“for internal use”, says the schools would be “optimised” by merging them "
                    "with larger schools in district centres. Pupils would be taken to their new "
                    "schools by bus. The ministry describes the plan as a way to improve the "
                    "quality of teaching while saving about 600 million varns a year.</p>",
                ),
                (
                    "paragraph",
                    "<p>Most of the schools on the list have fewer than 60 pupils, and eleven "
                    "teach only primary classes. In at least nine cases, the school that pupils "
                    "would be moved to is more than 30 kilometres away, according to our analysis "
                    "of the list against road maps. The draft order does not say how many buses "
                    "would be bought or who would pay for them. We have published the list of "
                    "schools, with the distances, <a "
                    'href="https://example.org/data/school-closures">as a searchable '
                    "table</a>.</p>",
                ),
                (
                    "image",
                    {
                        "colour": (121, 134, 110),
                        "photographer": 1,
                        "alt": (
                            "Children walking along a gravel road towards a school bus stop at "
                            "dawn."
                        ),
                        "caption": (
                            "Pupils from Hrab walk two kilometres to the nearest bus stop. Under "
                            "the plan, their journey to school would take more than an hour."
                        ),
                    },
                ),
                ("subhead", "“Nobody asked us”"),
                (
                    "paragraph",
                    "<p>In Brody, a village of about 400 people in the Pradno region, the primary "
                    "school has 23 pupils and three teachers. Its head teacher, Ludmila Garn, "
                    "learned that the school was on the list when a Lantern reporter called her. "
                    "She said the district education office had inspected the building in the "
                    "autumn and praised its new heating system. “Nobody asked us anything,” she "
                    "said. “They came, they counted the children, and they left.”</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "When a village loses its school, it loses its young families within "
                            "five years. After that it loses the shop, the bus and the clinic."
                        ),
                        "attribution": "Pavel Ostrov, sociologist who studies rural depopulation",
                    },
                ),
                (
                    "paragraph",
                    "<p>Similar mergers carried out in the Lisovar region four years ago offer a "
                    "preview. According to regional statistics, pupils from the closed schools "
                    "there spent an average of 75 minutes a day travelling, and attendance fell "
                    "in the first winter, when roads were not cleared. Two of the merged schools "
                    "have since reported that they are over capacity and now teach in two "
                    "shifts.</p>",
                ),
                ("subhead", "The ministry’s response"),
                (
                    "paragraph",
                    "<p>The education ministry did not answer detailed questions. Its press "
                    "office said that “no final decisions have been taken” and that any changes "
                    "would be “discussed with local communities”. The draft order, however, gives "
                    "district offices until the end of next month to prepare transport plans. "
                    "Parents in three of the villages on the list told The Lantern they intend to "
                    "collect signatures and write to their members of parliament.</p>",
                ),
            ],
        },
        "ru": {
            "headline": (
                "Минобразования собирается закрыть 43 сельские школы и возить детей в райцентры"
            ),
            "standfirst": (
                "В проекте приказа министерства образования, который оказался в распоряжении "
                "«Фонаря», перечислены школы в четырёх регионах, которые должны закрыться к началу "
                "следующего учебного года. Родителям об этом не сообщили."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Министерство образования Варнии готовит закрытие 43 сельских школ в "
                    "Праднинском, Калдунском, Лисоварском и Нижнесельском регионах — это следует "
                    "из проекта приказа, который получил «Фонарь». В документе, датированном "
                    "прошлым месяцем и помеченном «для служебного пользования», говорится, что "
                    "школы будут «оптимизированы» путём присоединения к крупным школам в районных "
                    "центрах. До новых школ учеников будут возить на автобусах. Министерство "
                    "объясняет, что план повысит качество обучения и сэкономит около 600 млн "
                    "варнов в год.</p>",
                ),
                (
                    "paragraph",
                    "<p>В большинстве школ из списка учатся меньше 60 детей, а в одиннадцати — "
                    "только начальные классы. Как минимум в девяти случаях школа, куда переведут "
                    "учеников, находится дальше чем в 30 километрах — это показал наш анализ "
                    "списка по дорожным картам. В проекте приказа не сказано, сколько автобусов "
                    "закупят и кто за них заплатит. Мы опубликовали список школ с расстояниями <a "
                    'href="https://example.org/data/school-closures">в виде таблицы с '
                    "поиском</a>.</p>",
                ),
                (
                    "image",
                    {
                        "colour": (121, 134, 110),
                        "photographer": 1,
                        "alt": (
                            "Дети идут по гравийной дороге к остановке школьного автобуса на "
                            "рассвете."
                        ),
                        "caption": (
                            "Ученики из Граба идут два километра до ближайшей остановки. Если план "
                            "примут, дорога в школу будет занимать у них больше часа."
                        ),
                    },
                ),
                ("subhead", "«Нас никто не спрашивал»"),
                (
                    "paragraph",
                    "<p>В Бродах, селе примерно на 400 жителей в Праднинском регионе, в начальной "
                    "школе учатся 23 ребёнка и работают три учителя. Директор школы Людмила Гарн "
                    "узнала, что школа попала в список, когда ей позвонил корреспондент «Фонаря». "
                    "По её словам, осенью районный отдел образования проверял здание и хвалил "
                    "новую систему отопления. «Нас никто ни о чём не спрашивал, — говорит она. — "
                    "Приехали, посчитали детей и уехали».</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Когда село теряет школу, в течение пяти лет оно теряет молодые семьи. "
                            "А потом — магазин, автобус и фельдшерский пункт."
                        ),
                        "attribution": "Павел Остров, социолог, изучающий вымирание сёл",
                    },
                ),
                (
                    "paragraph",
                    "<p>Понять, что будет дальше, можно на примере Лисоварского региона, где "
                    "похожие слияния провели четыре года назад. По данным региональной "
                    "статистики, ученики закрытых школ тратили там на дорогу в среднем 75 минут в "
                    "день, а в первую зиму, когда дороги не расчищали, посещаемость упала. Две из "
                    "объединённых школ с тех пор сообщают о переполненности и учат детей в две "
                    "смены.</p>",
                ),
                ("subhead", "Что отвечает министерство"),
                (
                    "paragraph",
                    "<p>На подробные вопросы министерство образования не ответило. В пресс-службе "
                    "заявили, что «окончательных решений не принято» и любые изменения будут "
                    "«обсуждаться с местными сообществами». Однако в проекте приказа районным "
                    "отделам образования дан срок до конца следующего месяца, чтобы подготовить "
                    "транспортные планы. Родители из трёх сёл, попавших в список, рассказали "
                    "«Фонарю», что собираются собирать подписи и писать своим депутатам.</p>",
                ),
            ],
        },
    },
    {
        "slug": "lantern-website-blocked-in-varnia",
        "section": "news",
        "authors": ["marek-dolin", "timur-oskol"],
        "days_ago": 12,
        "updated_hours_after": None,
        "tags": {
            "en": ["press freedom", "censorship", "reader funding"],
            "ru": ["свобода прессы", "цензура", "поддержка читателей"],
        },
        "status": "live",
        "lead_photo": {
            "colour": (33, 33, 33),
            "photographer": 0,
            "en": {
                "alt": "A laptop screen showing an error page in a dark room.",
                "caption": (
                    "The page readers in Varnia now see when they try to open The Lantern without "
                    "a VPN."
                ),
            },
            "ru": {
                "alt": "Экран ноутбука с сообщением об ошибке в тёмной комнате.",
                "caption": (
                    "Эту страницу теперь видят читатели в Варнии, когда пытаются открыть «Фонарь» "
                    "без VPN."
                ),
            },
        },
        "en": {
            "headline": (
                "Varnia’s media regulator blocks The Lantern. Here is how to keep reading us"
            ),
            "standfirst": (
                "The State Media Oversight Office has ordered internet providers to block our "
                "website, calling our reporting a “threat to public order”. We will not stop "
                "publishing, and there are several ways to reach us."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>The State Media Oversight Office added The Lantern’s website to its "
                    "register of blocked resources late in the evening, citing what it called "
                    "“the systematic publication of materials that threaten public order and "
                    "discredit state institutions”. The order was not sent to us; we learned of "
                    "it from readers who found that the site would not open on home and mobile "
                    "connections. By the next morning, all major internet providers in Varnia "
                    "were blocking our main address. The regulator did not identify a single "
                    "specific article.</p>",
                ),
                (
                    "paragraph",
                    "<p>The block came five days after we published our investigation into flats "
                    "given to judges of Ostrel District Court No. 3, and a month after the "
                    "regulator sent us a warning over our coverage of the Kaldun hospital’s "
                    "maternity ward. We are not surprised, and we prepared for this moment. The "
                    "newsroom has worked outside Varnia for three years precisely so that "
                    "decisions like this one cannot stop our journalists from doing their "
                    "work.</p>",
                ),
                ("subhead", "How to read The Lantern"),
                (
                    "paragraph",
                    "<p>Our journalism remains free to read, and there are several ways to get "
                    "it. You can use any reliable VPN service; several of them offer free plans. "
                    "We publish the full text of every story in our newsletter, which arrives by "
                    "email and does not depend on our website. We also maintain mirror addresses "
                    "that change regularly; the current ones are always listed on <a "
                    'href="https://example.org/lantern/mirrors">our help page</a>.</p>',
                ),
                (
                    "embed",
                    {
                        "url": "https://example.org/video/lantern-how-to-read",
                        "title": "How to read The Lantern in Varnia",
                        "source": "Video",
                        "description": (
                            "A three-minute guide from our technical team: VPNs, mirrors and the "
                            "newsletter."
                        ),
                    },
                ),
                (
                    "quote",
                    {
                        "text": (
                            "They can block an address. They cannot block readers who have decided "
                            "that they want to know."
                        ),
                        "attribution": "Marek Dolin, editor-in-chief of The Lantern",
                    },
                ),
                (
                    "paragraph",
                    "<p>Please be careful. Reading The Lantern is not a crime under Varnian law, "
                    "but sharing our articles publicly could attract the attention of the "
                    "authorities, especially if you work in the public sector. Do not install "
                    "apps that promise to unblock websites unless you know who makes them: some "
                    "have been found to collect their users’ data. If you are unsure, write to "
                    "our security desk at the address on our help page.</p>",
                ),
                ("subhead", "What this means for us"),
                (
                    "paragraph",
                    "<p>The block will reduce our audience inside Varnia for some weeks, as it "
                    "has for every outlet blocked before us. It does not affect our finances, "
                    "because The Lantern takes no advertising and relies on readers’ donations. "
                    "If you can, support us with a monthly contribution — and forward this "
                    "article to one person who still gets the news only from television.</p>",
                ),
            ],
        },
        "ru": {
            "headline": (
                "Варнийский медиарегулятор заблокировал «Фонарь». Как продолжать нас читать"
            ),
            "standfirst": (
                "Государственное управление по надзору за СМИ обязало интернет-провайдеров "
                "заблокировать наш сайт, назвав нашу работу «угрозой общественному порядку». Мы не "
                "перестанем публиковаться — и до нас можно добраться несколькими способами."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Поздно вечером Государственное управление по надзору за СМИ внесло сайт "
                    "«Фонаря» в реестр заблокированных ресурсов, сославшись на «систематическую "
                    "публикацию материалов, угрожающих общественному порядку и дискредитирующих "
                    "государственные институты». Само решение нам не направили: о нём мы узнали "
                    "от читателей, у которых сайт перестал открываться через домашний и мобильный "
                    "интернет. К утру наш основной адрес блокировали все крупные провайдеры "
                    "Варнии. Ни одной конкретной статьи регулятор не назвал.</p>",
                ),
                (
                    "paragraph",
                    "<p>Блокировка последовала через пять дней после того, как мы опубликовали "
                    "расследование о квартирах, полученных судьями Острельского районного суда № "
                    "3, и через месяц после того, как регулятор вынес нам предупреждение за "
                    "материалы о родильном отделении Калдунской больницы. Мы не удивлены и "
                    "готовились к этому. Редакция уже три года работает за пределами Варнии "
                    "именно для того, чтобы такие решения не могли помешать нашим журналистам "
                    "делать свою работу.</p>",
                ),
                ("subhead", "Как читать «Фонарь»"),
                (
                    "paragraph",
                    "<p>Наша журналистика по-прежнему бесплатна, и получить её можно несколькими "
                    "способами. Можно пользоваться любым надёжным VPN-сервисом — у некоторых есть "
                    "бесплатные тарифы. Полный текст каждого материала мы публикуем в нашей "
                    "рассылке, которая приходит по электронной почте и не зависит от сайта. Кроме "
                    "того, у нас есть зеркала, адреса которых регулярно меняются; актуальный "
                    'список всегда есть на <a href="https://example.org/lantern/mirrors">странице '
                    "помощи</a>.</p>",
                ),
                (
                    "embed",
                    {
                        "url": "https://example.org/video/lantern-how-to-read",
                        "title": "Как читать «Фонарь» в Варнии",
                        "source": "Видео",
                        "description": (
                            "Трёхминутная инструкция от нашей технической команды: VPN, зеркала и "
                            "рассылка."
                        ),
                    },
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Они могут заблокировать адрес. Но они не могут заблокировать "
                            "читателей, которые решили, что хотят знать."
                        ),
                        "attribution": "Марек Долин, главный редактор «Фонаря»",
                    },
                ),
                (
                    "paragraph",
                    "<p>Пожалуйста, будьте осторожны. Чтение «Фонаря» не является преступлением "
                    "по законам Варнии, но публичные репосты наших материалов могут привлечь "
                    "внимание властей — особенно если вы работаете в государственном секторе. Не "
                    "устанавливайте приложения, которые обещают обойти блокировки, если не "
                    "знаете, кто их разработчик: некоторые из них, как выяснилось, собирают "
                    "данные пользователей. Если сомневаетесь, напишите в нашу службу цифровой "
                    "безопасности по адресу, указанному на странице помощи.</p>",
                ),
                ("subhead", "Что это значит для нас"),
                (
                    "paragraph",
                    "<p>На несколько недель блокировка сократит нашу аудиторию внутри Варнии — "
                    "так было со всеми изданиями, заблокированными до нас. На наши финансы она не "
                    "повлияет: «Фонарь» не берёт рекламу и живёт на пожертвования читателей. Если "
                    "можете, поддержите нас ежемесячным взносом — и перешлите эту статью одному "
                    "человеку, который до сих пор узнаёт новости только из телевизора.</p>",
                ),
            ],
        },
    },
    {
        "slug": "ostrel-heating-bills-rise",
        "section": "news",
        "authors": ["dara-velesk"],
        "days_ago": 2,
        "updated_hours_after": None,
        "tags": {
            "en": ["prices", "local government", "housing"],
            "ru": ["цены", "местная власть", "жильё"],
        },
        "status": "live",
        "lead_photo": {
            "colour": (176, 190, 197),
            "photographer": 4,
            "en": {
                "alt": (
                    "Steam rising from the chimney of a district heating plant above apartment "
                    "blocks in winter."
                ),
                "caption": (
                    "The Northern heating plant in Ostrel, operated by Ostrel Heat Networks."
                ),
            },
            "ru": {
                "alt": "Пар поднимается из трубы районной котельной над жилыми домами зимой.",
                "caption": (
                    "Северная котельная в Остреле, которой управляют «Острельские тепловые сети»."
                ),
            },
        },
        "en": {
            "headline": "Heating bills in Ostrel to rise by 18 percent from next month",
            "standfirst": (
                "The city’s heating company says it needs the money to replace ageing pipes. Its "
                "own reports show that spending on repairs has fallen for three years in a row."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Households in Ostrel will pay 18 percent more for heating from the first "
                    "of next month, after the regional tariff commission approved a request from "
                    "Ostrel Heat Networks, the municipal company that supplies about 80 percent "
                    "of the city’s flats. It is the second increase this year; the first, in "
                    "spring, was 9 percent. For a typical two-room flat in an older panel "
                    "building, the monthly bill in the coldest months will rise to about 2,900 "
                    "varns, roughly a sixth of the average pension.</p>",
                ),
                (
                    "paragraph",
                    "<p>The company told the commission that it needed the increase to pay for "
                    "replacing 140 kilometres of worn-out pipes. But its annual reports for the "
                    "past four years, which The Lantern has reviewed, show that spending on "
                    "repairs fell in each of the last three years, while payments to outside "
                    "contractors for “consulting and management services” more than doubled. The "
                    "company did not explain the difference when asked.</p>",
                ),
                ("subhead", "A commission without dissent"),
                (
                    "paragraph",
                    "<p>According to its published minutes, the tariff commission approved the "
                    "increase unanimously at a meeting that lasted forty minutes. Four of its "
                    "seven members are officials of the regional government, which owns a "
                    "controlling stake in Ostrel Heat Networks through a holding company. "
                    "Consumer groups were not invited to present their case, although the "
                    "commission’s rules allow it. The chair of a residents’ association in the "
                    "Holmovo district, Grigor Lenn, said the same pipe in his courtyard had burst "
                    "every winter for six years.</p>",
                ),
                ("subhead", "What residents can do"),
                (
                    "paragraph",
                    "<p>Pensioners and low-income families are entitled to a housing subsidy that "
                    "covers part of the bill, but the income threshold has not been raised after "
                    "either of the last two increases. The city’s social services department said "
                    "it had received 30 percent more applications this autumn than a year ago and "
                    "was processing them “as quickly as possible”. You can check whether you "
                    "qualify using the <a "
                    'href="https://example.org/tools/heating-subsidy">calculator</a> we have '
                    "built from the published rules.</p>",
                ),
            ],
        },
        "ru": {
            "headline": "С будущего месяца отопление в Остреле подорожает на 18%",
            "standfirst": (
                "Теплоснабжающая компания города говорит, что деньги нужны на замену изношенных "
                "труб. Но её собственные отчёты показывают, что расходы на ремонт сокращаются "
                "третий год подряд."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>С первого числа следующего месяца жители Остреля будут платить за "
                    "отопление на 18% больше: региональная тарифная комиссия одобрила заявку "
                    "«Острельских тепловых сетей» — муниципальной компании, которая снабжает "
                    "теплом около 80% квартир в городе. Это уже второе повышение за год: весной "
                    "тариф вырос на 9%. Для типичной двухкомнатной квартиры в старом панельном "
                    "доме ежемесячный счёт в самые холодные месяцы вырастет примерно до 2900 "
                    "варнов — это около шестой части средней пенсии.</p>",
                ),
                (
                    "paragraph",
                    "<p>В заявке для комиссии компания объяснила, что повышение нужно для замены "
                    "140 километров изношенных труб. Однако её годовые отчёты за последние четыре "
                    "года, которые изучил «Фонарь», показывают, что расходы на ремонт в каждом из "
                    "последних трёх лет снижались, а выплаты сторонним подрядчикам за "
                    "«консалтинговые и управленческие услуги» выросли более чем вдвое. Объяснить "
                    "это расхождение в компании по нашему запросу не смогли.</p>",
                ),
                ("subhead", "Комиссия без возражений"),
                (
                    "paragraph",
                    "<p>Согласно опубликованному протоколу, комиссия одобрила повышение "
                    "единогласно на заседании, которое длилось сорок минут. Четверо из семи её "
                    "членов — чиновники регионального правительства, которому через холдинговую "
                    "компанию принадлежит контрольный пакет «Острельских тепловых сетей». "
                    "Общества защиты потребителей выступить не пригласили, хотя правила комиссии "
                    "это допускают. Председатель домового комитета в районе Холмово Григор Ленн "
                    "рассказал, что одну и ту же трубу у них во дворе прорывает каждую зиму уже "
                    "шесть лет подряд.</p>",
                ),
                ("subhead", "Что могут сделать жители"),
                (
                    "paragraph",
                    "<p>Пенсионеры и малообеспеченные семьи имеют право на жилищную субсидию, "
                    "которая покрывает часть счёта, но порог дохода для неё не пересматривали ни "
                    "после одного из двух последних повышений. Городское управление социальной "
                    "защиты сообщило, что этой осенью получило на 30% больше заявлений, чем год "
                    "назад, и рассматривает их «в максимально короткие сроки». Проверить, "
                    "положена ли вам субсидия, можно с помощью <a "
                    'href="https://example.org/tools/heating-subsidy">калькулятора</a>, который '
                    "мы сделали на основе опубликованных правил.</p>",
                ),
            ],
        },
    },
    # Investigations
    {
        "slug": "ostrel-river-port-contracts",
        "section": "investigations",
        "authors": ["anna-kovar"],
        "days_ago": 3,
        "updated_hours_after": None,
        "tags": {
            "en": ["corruption", "ports", "public procurement"],
            "ru": ["коррупция", "порты", "госзакупки"],
        },
        "status": "live",
        "lead_photo": {
            "colour": (38, 70, 83),
            "photographer": 0,
            "en": {
                "alt": "Cranes and stacked containers at the Ostrel River Port at dusk.",
                "caption": (
                    "The container terminal at Ostrel River Port. Under its current director, the "
                    "port has signed contracts worth 1.9 billion varns."
                ),
            },
            "ru": {
                "alt": "Краны и штабеля контейнеров в Острельском речном порту в сумерках.",
                "caption": (
                    "Контейнерный терминал Острельского речного порта. При нынешнем директоре порт "
                    "заключил контракты на 1,9 млрд варнов."
                ),
            },
        },
        "en": {
            "headline": (
                "The port director’s brother-in-law: how Ostrel River Port’s contracts ended up "
                "with one family"
            ),
            "standfirst": (
                "Over four years, a little-known company from Kaldun won more than half of the "
                "port’s repair and dredging contracts. Its owner is married to the port director’s "
                "sister."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>When Bogdan Hrast became director of Ostrel River Port four years ago, he "
                    "promised to turn the state-owned port into “the most transparent enterprise "
                    "on the Sela”. Since then, the port has awarded contracts worth 1.9 billion "
                    "varns for dredging, quay repairs and equipment maintenance. A Lantern "
                    "investigation, based on procurement records, company registers and "
                    "interviews with six current and former port employees, has found that 1.03 "
                    "billion varns of that money went to a single company: Sela Marine Services, "
                    "registered in Kaldun.</p>",
                ),
                (
                    "paragraph",
                    "<p>Sela Marine Services is owned by Aurel Denk, a businessman with no "
                    "previous experience in shipping. Civil registry documents show that Denk is "
                    "married to Irina Denk, née Hrast, the port director’s younger sister. The "
                    "company was founded seven weeks after Bogdan Hrast took up his post. In its "
                    "first year it had two employees and no vessels, yet it won a "
                    "140-million-varn contract to dredge the port’s main channel.</p>",
                ),
                (
                    "image",
                    {
                        "colour": (69, 90, 100),
                        "photographer": 3,
                        "alt": (
                            "A two-storey office building with a sign reading “Sela Marine "
                            "Services” on an industrial street."
                        ),
                        "caption": (
                            "The registered office of Sela Marine Services in Kaldun. Neighbours "
                            "say they have never seen anyone working there."
                        ),
                    },
                ),
                ("subhead", "Tenders with one bidder"),
                (
                    "paragraph",
                    "<p>Of the 31 tenders Sela Marine Services won, 22 had no other bidders. In "
                    "several cases the technical requirements were so specific that, according to "
                    "two former members of the port’s procurement commission, only one company "
                    "could meet them — for example, a requirement to have an office within 50 "
                    "kilometres of Kaldun, where the port has no facilities. In four other "
                    "tenders, competing bids were rejected over formal errors, such as a missing "
                    "page number. We have published the full list of contracts, with links to the "
                    "original tender documents, <a "
                    'href="https://example.org/investigations/port-contracts">in our '
                    "database</a>.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Everyone in the procurement department knew whose company it was. "
                            "Nobody wrote it down, because writing it down would have been the end "
                            "of your job."
                        ),
                        "attribution": "A former member of the port’s procurement commission",
                    },
                ),
                (
                    "paragraph",
                    "<p>Four of the port employees we spoke to said that the dredging paid for "
                    "under the contracts was either never carried out or was done by "
                    "subcontractors for a fraction of the price. Captains who use the port have "
                    "complained for two years that the main channel is silting up; in the spring, "
                    "a grain barge ran aground at the harbour entrance. The port’s own depth "
                    "surveys, which we have obtained, show that the channel is shallower now than "
                    "it was before the first dredging contract was signed.</p>",
                ),
                ("subhead", "The response"),
                (
                    "paragraph",
                    "<p>Bogdan Hrast did not respond to a detailed list of questions sent to him "
                    "and to the port’s press office ten days before publication. Aurel Denk told "
                    "The Lantern by telephone that his company had “won every contract honestly” "
                    "and that his family relationships were “nobody’s business”. He declined to "
                    "say which vessels the company had used for dredging. The port’s owner, the "
                    "Ministry of Transport, said it was “not aware of any violations”. In the "
                    "next part of this investigation, we will follow the money paid to the "
                    "subcontractors.</p>",
                ),
            ],
        },
        "ru": {
            "headline": (
                "Зять директора порта: как контракты Острельского речного порта оказались у одной "
                "семьи"
            ),
            "standfirst": (
                "За четыре года малоизвестная компания из Калдуна получила больше половины "
                "контрактов порта на ремонт и дноуглубление. Её владелец женат на сестре директора "
                "порта."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Став четыре года назад директором Острельского речного порта, Богдан "
                    "Храст обещал превратить государственный порт в «самое прозрачное предприятие "
                    "на Селе». С тех пор порт заключил контракты на дноуглубление, ремонт "
                    "причалов и обслуживание техники на 1,9 млрд варнов. Расследование «Фонаря», "
                    "основанное на данных о госзакупках, реестрах компаний и интервью с шестью "
                    "нынешними и бывшими сотрудниками порта, показало: 1,03 млрд варнов из этой "
                    "суммы получила одна компания — «Села Марин Сервис», зарегистрированная в "
                    "Калдуне.</p>",
                ),
                (
                    "paragraph",
                    "<p>Владелец «Села Марин Сервис» — предприниматель Аурел Денк, у которого "
                    "прежде не было никакого опыта в судоходстве. Из документов органа записи "
                    "актов гражданского состояния следует, что Денк женат на Ирине Денк, "
                    "урождённой Храст, — младшей сестре директора порта. Компанию основали через "
                    "семь недель после того, как Богдан Храст вступил в должность. В первый год в "
                    "ней числились два сотрудника и не было ни одного судна — и тем не менее она "
                    "выиграла контракт на 140 млн варнов на дноуглубление главного фарватера "
                    "порта.</p>",
                ),
                (
                    "image",
                    {
                        "colour": (69, 90, 100),
                        "photographer": 3,
                        "alt": (
                            "Двухэтажное офисное здание с вывеской «Села Марин Сервис» на "
                            "промышленной улице."
                        ),
                        "caption": (
                            "Юридический адрес «Села Марин Сервис» в Калдуне. Соседи говорят, что "
                            "никогда не видели, чтобы там кто-то работал."
                        ),
                    },
                ),
                ("subhead", "Тендеры с одним участником"),
                (
                    "paragraph",
                    "<p>Из 31 тендера, выигранного «Села Марин Сервис», в 22 других участников не "
                    "было. В ряде случаев технические требования были настолько специфическими, "
                    "что, по словам двух бывших членов закупочной комиссии порта, им могла "
                    "соответствовать только одна компания, — например, требование иметь офис в "
                    "пределах 50 километров от Калдуна, где у порта нет никаких объектов. Ещё в "
                    "четырёх тендерах заявки конкурентов отклонили из-за формальных ошибок вроде "
                    "пропущенного номера страницы. Полный список контрактов со ссылками на "
                    "исходную тендерную документацию мы опубликовали <a "
                    'href="https://example.org/investigations/port-contracts">в нашей базе '
                    "данных</a>.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Все в отделе закупок знали, чья это компания. Никто это нигде не "
                            "записывал, потому что записать — значило потерять работу."
                        ),
                        "attribution": "Бывший член закупочной комиссии порта",
                    },
                ),
                (
                    "paragraph",
                    "<p>Четверо сотрудников порта, с которыми мы поговорили, рассказали, что "
                    "оплаченные по контрактам работы по дноуглублению либо вовсе не проводились, "
                    "либо их выполняли субподрядчики за малую долю цены. Капитаны судов, "
                    "заходящих в порт, уже два года жалуются, что главный фарватер заиливается; "
                    "весной у входа в гавань села на мель баржа с зерном. Промеры глубин, которые "
                    "проводил сам порт и которые оказались в нашем распоряжении, показывают, что "
                    "сейчас фарватер мельче, чем до подписания первого контракта на "
                    "дноуглубление.</p>",
                ),
                ("subhead", "Ответ"),
                (
                    "paragraph",
                    "<p>Богдан Храст не ответил на подробный список вопросов, который мы "
                    "направили ему и в пресс-службу порта за десять дней до публикации. Аурел "
                    "Денк сказал «Фонарю» по телефону, что его компания «выиграла все контракты "
                    "честно», а его семейные связи «никого не касаются». Какие суда компания "
                    "использовала для дноуглубления, он говорить отказался. Владелец порта, "
                    "Министерство транспорта, заявил, что «о нарушениях не осведомлён». В "
                    "следующей части расследования мы проследим за деньгами, которые получили "
                    "субподрядчики.</p>",
                ),
            ],
        },
    },
    {
        "slug": "lisovar-nitrogen-night-discharges",
        "section": "investigations",
        "authors": ["dara-velesk", "anna-kovar"],
        "days_ago": 9,
        "updated_hours_after": 20,
        "tags": {"en": ["environment", "Sela river"], "ru": ["экология", "река Села"]},
        "status": "live",
        "lead_photo": {
            "colour": (85, 107, 47),
            "photographer": 2,
            "en": {
                "alt": (
                    "A concrete outflow pipe discharging foaming water into a river at night, lit "
                    "by a torch."
                ),
                "caption": (
                    "The outflow below Lisovar Nitrogen Works, photographed at 2.40 a.m. by a "
                    "member of our team."
                ),
            },
            "ru": {
                "alt": (
                    "Бетонная труба ночью сбрасывает в реку пенящуюся воду; её освещает фонарик."
                ),
                "caption": (
                    "Сброс ниже Лисоварского азотного комбината. Снимок сделан членом нашей "
                    "команды в 2:40 ночи."
                ),
            },
        },
        "en": {
            "headline": "What comes out of the pipe at night: Lisovar Nitrogen Works and the Sela",
            "standfirst": (
                "For six weeks, our reporters and volunteers sampled the river below Varnia’s "
                "largest fertiliser plant. At night, ammonium levels were up to 40 times the legal "
                "limit."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Residents of the villages below Lisovar have complained for years that "
                    "the Sela smells of ammonia after dark and that fish die in the shallows in "
                    "late summer. The regional environmental inspectorate has checked Lisovar "
                    "Nitrogen Works eleven times in the past five years and found no serious "
                    "violations. According to inspection records we obtained, every one of those "
                    "checks took place during the working day, and the plant was notified in "
                    "advance.</p>",
                ),
                (
                    "paragraph",
                    "<p>Between late July and early September, a team of Lantern reporters and "
                    "local volunteers took 64 water samples at three points on the river: above "
                    "the plant, directly below its main outflow, and at the village of Teren, six "
                    "kilometres downstream. Samples were taken both in daytime and between "
                    "midnight and 4 a.m., sealed, and sent to an accredited laboratory abroad. "
                    "The full results and our methodology are <a "
                    'href="https://example.org/investigations/lisovar-samples">available '
                    "here</a>, together with a map of the sampling points.</p>",
                ),
                ("subhead", "The night numbers"),
                (
                    "paragraph",
                    "<p>In daytime samples taken below the outflow, ammonium concentrations were "
                    "close to or slightly above the legal limit. In night-time samples they were "
                    "between 9 and 40 times higher. At Teren, night-time levels exceeded the "
                    "limit on 17 of the 22 nights we sampled. Independent chemists who reviewed "
                    "our data said the pattern was consistent with the deliberate release of "
                    "untreated water from storage ponds during hours when inspections do not take "
                    "place.</p>",
                ),
                (
                    "image",
                    {
                        "colour": (120, 144, 156),
                        "photographer": 2,
                        "alt": (
                            "A volunteer in waders taking a water sample from the Sela in a "
                            "plastic bottle."
                        ),
                        "caption": (
                            "A volunteer collects a sample downstream of the plant. Samples were "
                            "sent to an accredited laboratory abroad."
                        ),
                    },
                ),
                (
                    "quote",
                    {
                        "text": (
                            "You do not get a pattern like this by accident. Somebody opens a "
                            "valve at midnight and closes it again before the morning shift."
                        ),
                        "attribution": "Helena Varga, water chemist, who reviewed the results",
                    },
                ),
                ("subhead", "The plant’s response"),
                (
                    "paragraph",
                    "<p>Lisovar Nitrogen Works, which is majority-owned by the state holding "
                    "company Varnia Chemicals, said in a written response that its treatment "
                    "facilities “fully comply with national standards” and that our samples “may "
                    "have been contaminated or tampered with”. It did not answer questions about "
                    "the storage ponds or about night-time operations. The regional inspectorate "
                    "said it would “study the information”. Two workers at the plant, speaking on "
                    "condition of anonymity, told us that the order to empty the ponds at night "
                    "was given verbally by shift supervisors.</p>",
                ),
                (
                    "paragraph",
                    "<p><b>Update:</b> After publication, the regional prosecutor’s office "
                    "announced an unscheduled inspection of the plant. Our reporters will "
                    "continue sampling at Teren, and we will publish the new results. If the "
                    "prosecutor makes the findings of the inspection public, we will publish "
                    "those too.</p>",
                ),
            ],
        },
        "ru": {
            "headline": "Что вытекает из трубы по ночам: Лисоварский азотный комбинат и Села",
            "standfirst": (
                "Шесть недель наши журналисты и волонтёры брали пробы воды ниже крупнейшего в "
                "Варнии завода удобрений. Ночью содержание аммония превышало норму до 40 раз."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Жители сёл ниже Лисовара годами жалуются, что по вечерам от Селы пахнет "
                    "аммиаком, а в конце лета на отмелях гибнет рыба. За последние пять лет "
                    "региональная экологическая инспекция проверяла Лисоварский азотный комбинат "
                    "одиннадцать раз и ни разу не нашла серьёзных нарушений. Как следует из актов "
                    "проверок, которые оказались у нас, все они проходили днём, и комбинат "
                    "заранее о них предупреждали.</p>",
                ),
                (
                    "paragraph",
                    "<p>С конца июля по начало сентября журналисты «Фонаря» вместе с местными "
                    "волонтёрами взяли 64 пробы воды в трёх точках: выше комбината, "
                    "непосредственно ниже его главного сброса и у села Терен в шести километрах "
                    "ниже по течению. Пробы брали и днём, и с полуночи до четырёх утра, "
                    "опечатывали и отправляли в аккредитованную лабораторию за рубежом. Полные "
                    "результаты и описание методики <a "
                    'href="https://example.org/investigations/lisovar-samples">доступны здесь</a> '
                    "вместе с картой точек отбора.</p>",
                ),
                ("subhead", "Ночные цифры"),
                (
                    "paragraph",
                    "<p>В дневных пробах ниже сброса концентрация аммония была близка к норме или "
                    "немного её превышала. В ночных она была выше в 9–40 раз. У Терена ночью "
                    "норма была превышена в 17 из 22 ночей, когда мы брали пробы. Независимые "
                    "химики, изучившие наши данные, говорят, что такая картина соответствует "
                    "намеренному сбросу неочищенной воды из накопительных прудов в часы, когда "
                    "проверок не бывает.</p>",
                ),
                (
                    "image",
                    {
                        "colour": (120, 144, 156),
                        "photographer": 2,
                        "alt": (
                            "Волонтёр в забродных сапогах набирает воду из Селы в пластиковую "
                            "бутылку."
                        ),
                        "caption": (
                            "Волонтёр берёт пробу ниже по течению от комбината. Пробы отправляли в "
                            "аккредитованную лабораторию за рубежом."
                        ),
                    },
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Такая картина случайно не складывается. Кто-то открывает задвижку в "
                            "полночь и закрывает её до начала утренней смены."
                        ),
                        "attribution": "Хелена Варга, химик-гидролог, изучившая результаты",
                    },
                ),
                ("subhead", "Ответ комбината"),
                (
                    "paragraph",
                    "<p>Лисоварский азотный комбинат, контрольный пакет которого принадлежит "
                    "государственному холдингу «Варнийская химия», в письменном ответе заявил, "
                    "что его очистные сооружения «полностью соответствуют национальным "
                    "стандартам», а наши пробы «могли быть загрязнены или подменены». На вопросы "
                    "о накопительных прудах и ночной работе на комбинате не ответили. "
                    "Региональная инспекция сообщила, что «изучит информацию». Двое работников "
                    "комбината на условиях анонимности рассказали нам, что распоряжение "
                    "опорожнять пруды по ночам сменные мастера отдавали устно.</p>",
                ),
                (
                    "paragraph",
                    "<p><b>Обновление:</b> После публикации региональная прокуратура объявила о "
                    "внеплановой проверке комбината. Наши журналисты продолжат брать пробы у "
                    "Терена, и мы опубликуем новые результаты. Если прокуратура обнародует итоги "
                    "проверки, мы опубликуем и их.</p>",
                ),
            ],
        },
    },
    {
        "slug": "ostrel-judges-linden-embankment-flats",
        "section": "investigations",
        "authors": ["ilya-marten"],
        "days_ago": 17,
        "updated_hours_after": None,
        "tags": {"en": ["courts", "corruption", "housing"], "ru": ["суды", "коррупция", "жильё"]},
        "status": "live",
        "lead_photo": {
            "colour": (93, 64, 55),
            "photographer": 4,
            "en": {
                "alt": (
                    "A new twelve-storey residential building with glass balconies next to a park."
                ),
                "caption": (
                    "The building on Linden Embankment where seven judges of Ostrel District Court "
                    "No. 3 received flats."
                ),
            },
            "ru": {
                "alt": "Новый двенадцатиэтажный жилой дом со стеклянными балконами рядом с парком.",
                "caption": (
                    "Дом на Липовой набережной, где квартиры получили семь судей Острельского "
                    "районного суда № 3."
                ),
            },
        },
        "en": {
            "headline": "Seven judges, one building: the flats handed to Ostrel’s district court",
            "standfirst": (
                "Judges who ruled for the city administration in land disputes later received "
                "flats from the municipal housing fund in a new building on Linden Embankment. The "
                "city says the allocations were legal."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>The building at 14 Linden Embankment is one of the most sought-after "
                    "addresses in Ostrel: twelve storeys, a view of the Sela and an underground "
                    "car park. Of its 96 flats, 22 were transferred by the city administration "
                    "from the municipal housing fund to “public sector employees in need of "
                    "housing”. Property records examined by The Lantern show that seven of those "
                    "flats went to judges of Ostrel District Court No. 3 or to their spouses.</p>",
                ),
                (
                    "paragraph",
                    "<p>Under Varnian law, judges who do not own housing in the city where they "
                    "serve may receive a flat at public expense. But according to property "
                    "registers, at least four of the seven judges already owned flats in Ostrel "
                    "at the time of the allocation; two of them transferred their flats to "
                    "relatives shortly before applying. The flats they received measure between "
                    "85 and 140 square metres, far more than the norm of 18 square metres per "
                    "person that applies to other public employees on the waiting list.</p>",
                ),
                ("subhead", "The rulings"),
                (
                    "paragraph",
                    "<p>In the two years before the allocation, all seven judges had ruled on "
                    "cases in which the city administration was a party. We identified 58 such "
                    "cases, most of them disputes over land and demolitions in the old riverside "
                    "districts. The city won 55 of them. In one, Judge Oskar Mell dismissed a "
                    "claim by 40 families against the demolition of their houses on Tanners’ "
                    "Lane; four months later, his wife was registered as the owner of a flat on "
                    "the ninth floor of the Linden Embankment building.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "A judge is not forbidden from having a flat. A judge is forbidden "
                            "from having a reason to owe somebody."
                        ),
                        "attribution": (
                            "Miroslav Hain, former deputy chair of the Supreme Court of Varnia"
                        ),
                    },
                ),
                (
                    "paragraph",
                    "<p>According to the city’s own figures, about 4,200 families are on the "
                    "municipal housing waiting list in Ostrel, and the average wait is eleven "
                    "years. Among those who did not receive a flat in the Linden Embankment "
                    "building were a schoolteacher who has been on the list since before the "
                    "building was designed and the family of a firefighter killed on duty, whose "
                    "case was widely reported in the city at the time. Last year the housing "
                    "department wrote to the teacher that no suitable flats were available.</p>",
                ),
                ("subhead", "What the court and the city say"),
                (
                    "paragraph",
                    "<p>The city housing department said all allocations were made “in strict "
                    "accordance with the law” and declined to comment on individual cases, citing "
                    "privacy. The press service of Ostrel District Court No. 3 said that judges "
                    "“do not comment on matters unrelated to their judicial activity”. Judge Mell "
                    "did not respond to a letter sent to the court. The Judicial Qualification "
                    "Board, which handles disciplinary matters, has not opened any "
                    "proceedings.</p>",
                ),
            ],
        },
        "ru": {
            "headline": "Семь судей, один дом: квартиры для районного суда Остреля",
            "standfirst": (
                "Судьи, выносившие решения в пользу городской администрации в земельных спорах, "
                "затем получили квартиры из муниципального жилищного фонда в новом доме на Липовой "
                "набережной. В мэрии говорят, что всё законно."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Дом 14 на Липовой набережной — один из самых престижных адресов Остреля: "
                    "двенадцать этажей, вид на Селу и подземный паркинг. Из 96 квартир в нём 22 "
                    "городская администрация передала из муниципального жилищного фонда "
                    "«работникам бюджетной сферы, нуждающимся в жилье». Реестры недвижимости, "
                    "которые изучил «Фонарь», показывают, что семь из этих квартир получили судьи "
                    "Острельского районного суда № 3 или их супруги.</p>",
                ),
                (
                    "paragraph",
                    "<p>По законам Варнии судья, у которого нет жилья в городе, где он служит, "
                    "может получить квартиру за государственный счёт. Но, судя по реестрам, как "
                    "минимум у четырёх из семи судей на момент распределения уже были квартиры в "
                    "Остреле; двое из них переоформили свои квартиры на родственников незадолго "
                    "до подачи заявления. Полученные ими квартиры — площадью от 85 до 140 "
                    "квадратных метров, намного больше нормы в 18 квадратных метров на человека, "
                    "которая действует для остальных бюджетников из очереди.</p>",
                ),
                ("subhead", "Решения"),
                (
                    "paragraph",
                    "<p>За два года до получения квартир все семь судей рассматривали дела, в "
                    "которых стороной была городская администрация. Мы нашли 58 таких дел — в "
                    "основном споры о земле и сносе домов в старых прибрежных кварталах. Город "
                    "выиграл 55 из них. В одном из дел судья Оскар Мелль отклонил иск сорока "
                    "семей против сноса их домов в Кожевенном переулке; через четыре месяца его "
                    "жена была зарегистрирована как владелица квартиры на девятом этаже дома на "
                    "Липовой набережной.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Судье не запрещено иметь квартиру. Судье запрещено иметь причину быть "
                            "кому-то обязанным."
                        ),
                        "attribution": (
                            "Мирослав Хайн, бывший заместитель председателя Верховного суда Варнии"
                        ),
                    },
                ),
                (
                    "paragraph",
                    "<p>По данным самой мэрии, в очереди на муниципальное жильё в Остреле стоят "
                    "около 4200 семей, а ждать в среднем приходится одиннадцать лет. Среди тех, "
                    "кто не получил квартиру в доме на Липовой набережной, — школьная "
                    "учительница, которая стоит в очереди с тех пор, когда дом ещё даже не "
                    "спроектировали, и семья пожарного, погибшего при исполнении, о которой в "
                    "своё время много писали в городе. В прошлом году управление жилищной "
                    "политики ответило учительнице, что подходящих квартир нет.</p>",
                ),
                ("subhead", "Что говорят суд и мэрия"),
                (
                    "paragraph",
                    "<p>Городское управление жилищной политики заявило, что все квартиры "
                    "распределены «в строгом соответствии с законом», и отказалось комментировать "
                    "отдельные случаи, сославшись на защиту персональных данных. Пресс-служба "
                    "Острельского районного суда № 3 сообщила, что судьи «не комментируют "
                    "вопросы, не связанные с их судебной деятельностью». Судья Мелль не ответил "
                    "на письмо, направленное в суд. Квалификационная коллегия судей, которая "
                    "занимается дисциплинарными вопросами, никаких проверок не начинала.</p>",
                ),
            ],
        },
    },
    {
        "slug": "school-meals-caterer-without-kitchen",
        "section": "investigations",
        "authors": ["timur-oskol", "anna-kovar"],
        "days_ago": 24,
        "updated_hours_after": None,
        "tags": {
            "en": ["schools", "corruption", "public procurement"],
            "ru": ["школы", "коррупция", "госзакупки"],
        },
        "status": "live",
        "lead_photo": {
            "colour": (188, 143, 80),
            "photographer": 1,
            "en": {
                "alt": (
                    "A school canteen tray with a bowl of grey porridge, a slice of bread and a "
                    "cup of tea."
                ),
                "caption": (
                    "A lunch served at a school in the Lower Sela region, photographed by a parent."
                ),
            },
            "ru": {
                "alt": "Поднос в школьной столовой: миска серой каши, кусок хлеба и стакан чая.",
                "caption": (
                    "Обед в одной из школ Нижнесельского региона. Фото прислал один из родителей."
                ),
            },
        },
        "en": {
            "headline": "A caterer without a kitchen: who feeds Varnia’s schoolchildren",
            "standfirst": (
                "A company founded eighteen months earlier won the right to supply lunches to 312 "
                "schools. Its registered kitchen is an empty warehouse, and the food is cooked by "
                "subcontractors paid less than half the contract price."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Last year the education ministry held a single national tender to supply "
                    "hot lunches to schools in four regions, replacing dozens of local contracts "
                    "with one. The winner, out of three bidders, was Nordvik Catering, a company "
                    "registered in Ostrel eighteen months earlier with share capital of 10,000 "
                    "varns. The contract is worth 2.4 billion varns over three years, or 148 "
                    "varns per lunch. The two losing bidders, both established caterers, were "
                    "disqualified for failing to provide “a complete set of hygiene "
                    "certificates”.</p>",
                ),
                (
                    "paragraph",
                    "<p>In its bid, Nordvik Catering said it would prepare meals at a “central "
                    "production kitchen” on Foundry Street in Ostrel. When our reporters visited "
                    "the address on three occasions, they found a locked warehouse with broken "
                    "windows. Neighbouring businesses said the building had been empty for at "
                    "least two years. The company’s latest financial statement lists three "
                    "employees and no kitchen equipment among its assets.</p>",
                ),
                (
                    "image",
                    {
                        "colour": (158, 158, 158),
                        "photographer": 3,
                        "alt": (
                            "A locked metal gate in front of an empty warehouse, with weeds "
                            "growing through the asphalt."
                        ),
                        "caption": (
                            "The address listed as Nordvik Catering’s “production kitchen” in "
                            "Ostrel."
                        ),
                    },
                ),
                ("subhead", "Who actually cooks"),
                (
                    "paragraph",
                    "<p>In practice, the lunches are cooked by local canteens and small firms "
                    "that Nordvik hires as subcontractors. Through parents’ associations and one "
                    "of the subcontractors, we obtained five subcontracts covering about 60 "
                    "schools. In each of them, Nordvik pays between 58 and 71 varns per lunch — "
                    "less than half of what it receives from the state. One subcontractor, who "
                    "runs a canteen in the Lower Sela region, said she had had to cut meat from "
                    "the menu to three days a week to stay within budget.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "The contract says meat or fish every day. The money says porridge. I "
                            "follow the money, because I have to pay my cooks."
                        ),
                        "attribution": (
                            "The owner of a subcontracting canteen in the Lower Sela region"
                        ),
                    },
                ),
                (
                    "paragraph",
                    "<p>Nordvik Catering’s sole director is Kristof Sand, 29, who according to "
                    "his professional profile previously worked as an assistant to a member of "
                    "the parliamentary budget committee; the profile was deleted after we "
                    "contacted him. Company records show that Nordvik is wholly owned by a firm "
                    "registered in a neighbouring country whose ultimate owners are not "
                    "disclosed. Sand did not answer our questions about the company’s owners or "
                    "its kitchen. The education ministry said the tender had been “checked by the "
                    "competent authorities” and that parents’ complaints about the food were "
                    "“isolated”.</p>",
                ),
                ("subhead", "What parents found"),
                (
                    "paragraph",
                    "<p>Parents in several regions have started photographing school lunches and "
                    "sharing the pictures in chat groups; we have collected more than 900 of "
                    "them. Compared with the menu published by the ministry, portions are smaller "
                    "and meat appears less often than promised. If you are a parent or teacher "
                    "and want to share information about school meals in your area, you can reach "
                    'us securely through <a href="https://example.org/contact/secure">our contact '
                    "page</a>. We protect our sources.</p>",
                ),
            ],
        },
        "ru": {
            "headline": "Поставщик без кухни: кто кормит школьников Варнии",
            "standfirst": (
                "Компания, основанная за полтора года до тендера, получила право поставлять обеды "
                "в 312 школ. Её «кухня» — пустой склад, а готовят еду субподрядчики, которым "
                "платят меньше половины цены контракта."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>В прошлом году министерство образования провело единый национальный "
                    "тендер на поставку горячих обедов в школы четырёх регионов, заменив десятки "
                    "местных контрактов одним. Из трёх участников победила компания «Нордвик "
                    "Кейтеринг», зарегистрированная в Остреле за полтора года до этого с уставным "
                    "капиталом 10 тысяч варнов. Контракт рассчитан на три года и стоит 2,4 млрд "
                    "варнов — 148 варнов за один обед. Двух других участников, давно работающих в "
                    "сфере общественного питания, отстранили за то, что они не предоставили "
                    "«полный комплект санитарных сертификатов».</p>",
                ),
                (
                    "paragraph",
                    "<p>В заявке «Нордвик Кейтеринг» указал, что будет готовить еду на "
                    "«центральной производственной кухне» на Литейной улице в Остреле. Наши "
                    "корреспонденты трижды приезжали по этому адресу и каждый раз видели запертый "
                    "склад с выбитыми окнами. В соседних организациях рассказали, что здание "
                    "пустует как минимум два года. В последней финансовой отчётности компании "
                    "значатся три сотрудника, а среди активов нет никакого кухонного "
                    "оборудования.</p>",
                ),
                (
                    "image",
                    {
                        "colour": (158, 158, 158),
                        "photographer": 3,
                        "alt": (
                            "Запертые металлические ворота перед пустым складом, сквозь асфальт "
                            "пробивается трава."
                        ),
                        "caption": (
                            "Адрес, указанный как «производственная кухня» «Нордвик Кейтеринг» в "
                            "Остреле."
                        ),
                    },
                ),
                ("subhead", "Кто на самом деле готовит"),
                (
                    "paragraph",
                    "<p>На деле обеды готовят местные столовые и небольшие фирмы, которых "
                    "«Нордвик» нанимает на субподряд. Через родительские комитеты и одного из "
                    "субподрядчиков мы получили пять договоров субподряда, которые охватывают "
                    "около 60 школ. По каждому из них «Нордвик» платит от 58 до 71 варна за обед "
                    "— меньше половины того, что получает от государства. Владелица столовой в "
                    "Нижнесельском регионе, работающая на субподряде, рассказала, что ей пришлось "
                    "оставить мясо в меню только три дня в неделю, чтобы уложиться в бюджет.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "В договоре написано: мясо или рыба каждый день. А по деньгам "
                            "получается каша. Я иду за деньгами, потому что мне надо платить "
                            "поварам."
                        ),
                        "attribution": "Владелица столовой-субподрядчика в Нижнесельском регионе",
                    },
                ),
                (
                    "paragraph",
                    "<p>Единственный директор «Нордвик Кейтеринг» — 29-летний Кристоф Занд, "
                    "который, судя по его профессиональному профилю, прежде работал помощником "
                    "члена бюджетного комитета парламента; профиль удалили после того, как мы с "
                    "ним связались. Согласно реестру, компания целиком принадлежит фирме, "
                    "зарегистрированной в соседней стране, конечные владельцы которой не "
                    "раскрываются. На наши вопросы о владельцах компании и её кухне Занд не "
                    "ответил. В министерстве образования заявили, что тендер «проверен "
                    "компетентными органами», а жалобы родителей на качество еды носят «единичный "
                    "характер».</p>",
                ),
                ("subhead", "Что обнаружили родители"),
                (
                    "paragraph",
                    "<p>Родители в нескольких регионах начали фотографировать школьные обеды и "
                    "делиться снимками в чатах; мы собрали больше 900 таких фотографий. По "
                    "сравнению с меню, опубликованным министерством, порции меньше, а мясо бывает "
                    "реже, чем обещано. Если вы родитель или учитель и хотите рассказать о "
                    "школьном питании в вашем районе, с нами можно безопасно связаться через <a "
                    'href="https://example.org/contact/secure">страницу контактов</a>. Мы '
                    "защищаем наши источники.</p>",
                ),
            ],
        },
    },
    {
        "slug": "ostrel-port-dredger-that-never-sailed",
        "section": "investigations",
        "authors": ["anna-kovar"],
        "days_ago": 0,
        "days_ahead": 2,
        "updated_hours_after": None,
        "tags": {
            "en": ["corruption", "ports", "Sela river"],
            "ru": ["коррупция", "порты", "река Села"],
        },
        "status": "scheduled",
        "lead_photo": {
            "colour": (40, 60, 90),
            "photographer": 3,
            "en": {
                "alt": "A rusting dredging vessel moored in a quiet backwater of the river.",
                "caption": (
                    "The dredger Kormoran, which port documents say worked in the main channel for "
                    "41 days. Satellite images show that it did not move."
                ),
            },
            "ru": {
                "alt": "Ржавый земснаряд пришвартован в тихом речном затоне.",
                "caption": (
                    "Земснаряд «Корморан», который, по документам порта, 41 день работал на "
                    "главном фарватере. Спутниковые снимки показывают, что он не двигался с места."
                ),
            },
        },
        "en": {
            "headline": "The dredger that never sailed: where Ostrel River Port’s money went",
            "standfirst": (
                "In the second part of our investigation into Ostrel River Port, we follow the "
                "payments from Sela Marine Services to its subcontractors — and find a vessel that "
                "was paid to work while it sat at its mooring."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>In the first part of this investigation, we showed that more than half of "
                    "Ostrel River Port’s repair and dredging contracts went to Sela Marine "
                    "Services, a company owned by the husband of the port director’s sister. "
                    "According to port documents, Sela Marine Services carried out most of the "
                    "dredging through subcontractors, because it had no vessels of its own. We "
                    "traced the three main subcontractors through company registers and through "
                    "bank records shared with us by a former employee of one of them.</p>",
                ),
                (
                    "paragraph",
                    "<p>The largest subcontractor, River Works Kaldun, received 310 million varns "
                    "from Sela Marine Services over three years. Its work reports say that its "
                    "dredger, the Kormoran, spent 41 days clearing the port’s main channel in the "
                    "autumn before last. But commercial satellite images of the river, taken on "
                    "29 of those days, show the Kormoran moored in a backwater near Kaldun, 60 "
                    "kilometres upstream. It does not appear in the port in any of the images.</p>",
                ),
                ("subhead", "Money out, cash back"),
                (
                    "paragraph",
                    "<p>Bank records show that within days of each payment from Sela Marine "
                    "Services, River Works Kaldun transferred between 60 and 80 percent of the "
                    "money to two companies registered at the same address in Ostrel. Both were "
                    "dissolved last year. Their sole director was a 71-year-old pensioner from "
                    "Pradno, who told our reporter that she had signed papers “for a friend of my "
                    "nephew” and had never heard of the companies. According to the records, the "
                    "money was withdrawn from their accounts in cash.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "I signed because they told me it was a formality. Nobody ever gave me "
                            "a single varn of it."
                        ),
                        "attribution": (
                            "The pensioner registered as director of two companies that received "
                            "money from the port’s subcontractor"
                        ),
                    },
                ),
                (
                    "paragraph",
                    "<p>The port’s acceptance certificates for the Kormoran’s work are signed by "
                    "the head of the port’s technical department and countersigned by Bogdan "
                    "Hrast. We asked both men how they had verified that the work had been done. "
                    "Neither replied. The director of River Works Kaldun, Teodor Pils, said the "
                    "satellite images were “fake” and that the dredger’s logbook, which he "
                    "declined to show us, would prove that it had worked in the port.</p>",
                ),
                ("subhead", "What happens next"),
                (
                    "paragraph",
                    "<p>Since the first part of our investigation was published, two members of "
                    "parliament have asked the Prosecutor General to examine the port’s "
                    "contracts, and the Ministry of Transport has said it will carry out an "
                    "internal audit. We will share the documents behind this investigation with "
                    "the authorities on request, except those that could identify our sources. "
                    "The full set of documents that we are able to publish, including the "
                    "satellite images, is <a "
                    'href="https://example.org/investigations/port-documents">available '
                    "here</a>.</p>",
                ),
            ],
        },
        "ru": {
            "headline": "Земснаряд, который никуда не плавал: куда ушли деньги Острельского порта",
            "standfirst": (
                "Во второй части расследования об Острельском речном порте мы проследили платежи "
                "«Села Марин Сервис» субподрядчикам — и нашли судно, которому платили за работу, "
                "пока оно стояло у причала."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>В первой части расследования мы показали, что больше половины контрактов "
                    "Острельского речного порта на ремонт и дноуглубление получила «Села Марин "
                    "Сервис» — компания, которой владеет муж сестры директора порта. Согласно "
                    "документам порта, основную часть работ по дноуглублению «Села Марин Сервис» "
                    "выполняла силами субподрядчиков, потому что собственных судов у неё не было. "
                    "Мы проследили трёх главных субподрядчиков по реестрам компаний и по "
                    "банковским выпискам, которые нам передал бывший сотрудник одного из них.</p>",
                ),
                (
                    "paragraph",
                    "<p>Крупнейший субподрядчик, «Речные работы Калдун», за три года получил от "
                    "«Села Марин Сервис» 310 млн варнов. Согласно его отчётам о выполненных "
                    "работах, позапрошлой осенью его земснаряд «Корморан» 41 день расчищал "
                    "главный фарватер порта. Но на коммерческих спутниковых снимках реки, "
                    "сделанных в 29 из этих дней, «Корморан» стоит в затоне у Калдуна, в 60 "
                    "километрах выше по течению. Ни на одном снимке его нет в порту.</p>",
                ),
                ("subhead", "Деньги туда, наличные обратно"),
                (
                    "paragraph",
                    "<p>Из банковских выписок следует, что в течение нескольких дней после "
                    "каждого платежа от «Села Марин Сервис» «Речные работы Калдун» переводили от "
                    "60 до 80% полученной суммы двум компаниям, зарегистрированным по одному "
                    "адресу в Остреле. Обе ликвидированы в прошлом году. Их единственным "
                    "директором значилась 71-летняя пенсионерка из Прадно, которая рассказала "
                    "нашему корреспонденту, что подписывала бумаги «для друга племянника» и "
                    "никогда не слышала об этих компаниях. Согласно выпискам, деньги с их счетов "
                    "снимались наличными.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Я подписала, потому что мне сказали, что это формальность. Мне оттуда "
                            "ни одного варна не дали."
                        ),
                        "attribution": (
                            "Пенсионерка, числившаяся директором двух компаний, которые получали "
                            "деньги от субподрядчика порта"
                        ),
                    },
                ),
                (
                    "paragraph",
                    "<p>Акты приёмки работ «Корморана» подписаны начальником технического отдела "
                    "порта и завизированы Богданом Храстом. Мы спросили обоих, как они проверили, "
                    "что работы действительно были выполнены. Ни один не ответил. Директор "
                    "«Речных работ Калдун» Теодор Пильс заявил, что спутниковые снимки "
                    "«поддельные», а судовой журнал земснаряда, который он отказался нам "
                    "показать, докажет, что судно работало в порту.</p>",
                ),
                ("subhead", "Что дальше"),
                (
                    "paragraph",
                    "<p>После публикации первой части расследования два депутата парламента "
                    "попросили генерального прокурора проверить контракты порта, а Министерство "
                    "транспорта заявило, что проведёт внутренний аудит. Документы, на которых "
                    "основано это расследование, мы передадим властям по запросу — кроме тех, что "
                    "могут раскрыть наши источники. Полный набор документов, который мы можем "
                    "опубликовать, включая спутниковые снимки, <a "
                    'href="https://example.org/investigations/port-documents">доступен '
                    "здесь</a>.</p>",
                ),
            ],
        },
    },
    {
        "slug": "varnians-abroad-app-surveillance",
        "section": "investigations",
        "authors": ["anna-kovar", "ilya-marten"],
        "days_ago": 31,
        "updated_hours_after": None,
        "tags": {"en": ["exile", "press freedom"], "ru": ["эмиграция", "свобода прессы"]},
        "status": "live",
        "lead_photo": {
            "colour": (57, 73, 120),
            "photographer": 4,
            "en": {
                "alt": (
                    "A smartphone on a café table showing a community app with a map of meeting "
                    "places."
                ),
                "caption": (
                    "The “Varnians Abroad” app, which presented itself as a volunteer project to "
                    "help emigrants find housing and work."
                ),
            },
            "ru": {
                "alt": (
                    "Смартфон на столике в кафе; на экране — приложение для общины с картой мест "
                    "встреч."
                ),
                "caption": (
                    "Приложение «Варнийцы за рубежом» выдавало себя за волонтёрский проект, "
                    "помогающий эмигрантам найти жильё и работу."
                ),
            },
        },
        "en": {
            "headline": (
                "The helpful app that reported to Ostrel: how Varnia’s security service watched "
                "its emigrants"
            ),
            "standfirst": (
                "A popular app for Varnians abroad promised help with flats, jobs and paperwork. "
                "It sent users’ data, including passport numbers and contact lists, to a company "
                "linked to the Directorate for Internal Order."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>When “Varnians Abroad” appeared in app stores two years ago, it quickly "
                    "became one of the most useful tools for people who had left the country. It "
                    "listed rooms for rent in Kessvik and other cities, translated official "
                    "letters and put users in touch with volunteers who could help with residence "
                    "permits. By this spring, it had been downloaded more than 80,000 times. Its "
                    "creators described themselves as “a small team of emigrant developers” and "
                    "never gave their names.</p>",
                ),
                (
                    "paragraph",
                    "<p>Working with two independent security researchers, The Lantern analysed "
                    "the app’s code and its network traffic. We found that, in addition to the "
                    "data needed to run the service, the app sent users’ contact lists, their "
                    "precise location and, where users had provided them, passport numbers and "
                    "home addresses in Varnia to a server in Ostrel. That server belongs to a "
                    "company called Infocentre Plus. According to a leaked personnel database "
                    "reviewed by our reporters, its founder served for fourteen years in the "
                    "technical department of the Directorate for Internal Order.</p>",
                ),
                (
                    "image",
                    {
                        "colour": (96, 96, 96),
                        "photographer": 1,
                        "alt": (
                            "A community noticeboard in Kessvik covered with leaflets in Varnian."
                        ),
                        "caption": (
                            "Leaflets advertising the app were put up in shops and cafés popular "
                            "with Varnian emigrants in Kessvik."
                        ),
                    },
                ),
                ("subhead", "The relatives who were visited"),
                (
                    "paragraph",
                    "<p>We spoke to nine users of the app whose relatives in Varnia were visited "
                    "by officers after the users had registered. In four cases, the officers "
                    "asked about the user’s political views or whether they had attended protests "
                    "abroad. One woman in Kessvik said her mother had been shown a printout of a "
                    "message she had sent through the app’s chat to a volunteer offering legal "
                    "help. “My mother does not use the internet,” she said. “She had no idea what "
                    "she was looking at, but they knew exactly.”</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "We built our lives here on trust between strangers. That is exactly "
                            "what this app was designed to exploit."
                        ),
                        "attribution": (
                            "Sonia Brell, coordinator of a Varnian volunteer network in Kessvik"
                        ),
                    },
                ),
                (
                    "paragraph",
                    "<p>The Directorate for Internal Order did not respond to our questions. "
                    "Infocentre Plus said it provided “hosting services to many clients” and was "
                    "not responsible for their content. The app was removed from both major app "
                    "stores within days of our inquiries to the companies that run them, but it "
                    "continues to work on phones where it is already installed. Its developers "
                    "have not responded to messages sent through the app itself.</p>",
                ),
                ("subhead", "What to do if you used the app"),
                (
                    "paragraph",
                    "<p>If you installed “Varnians Abroad”, delete it and consider warning the "
                    "people in your contact list, because their numbers may also have been "
                    "collected. Change any passwords you may have shared in the app’s chat. If "
                    "you are worried about relatives in Varnia, our security desk has published "
                    '<a href="https://example.org/guides/exile-digital-safety">a guide to digital '
                    "safety for emigrants</a> and will answer questions in confidence. Do not "
                    "contact the app’s developers.</p>",
                ),
            ],
        },
        "ru": {
            "headline": (
                "Полезное приложение, которое докладывало в Острель: как спецслужба Варнии следила "
                "за эмигрантами"
            ),
            "standfirst": (
                "Популярное приложение для варнийцев за рубежом обещало помощь с жильём, работой и "
                "документами. Оно передавало данные пользователей — в том числе номера паспортов и "
                "списки контактов — компании, связанной с Управлением внутреннего порядка."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Когда два года назад в магазинах приложений появилось приложение "
                    "«Варнийцы за рубежом», оно быстро стало одним из самых полезных инструментов "
                    "для тех, кто уехал из страны. В нём публиковались объявления о сдаче комнат "
                    "в Кессвике и других городах, переводились официальные письма, а "
                    "пользователей связывали с волонтёрами, которые помогали получить вид на "
                    "жительство. К весне его скачали больше 80 тысяч раз. Создатели называли себя "
                    "«небольшой командой разработчиков-эмигрантов» и никогда не раскрывали "
                    "имён.</p>",
                ),
                (
                    "paragraph",
                    "<p>Вместе с двумя независимыми исследователями информационной безопасности "
                    "«Фонарь» проанализировал код приложения и его сетевой трафик. Мы выяснили, "
                    "что помимо данных, необходимых для работы сервиса, приложение отправляло на "
                    "сервер в Остреле списки контактов пользователей, их точное местоположение и "
                    "— если пользователи их указывали — номера паспортов и домашние адреса в "
                    "Варнии. Сервер принадлежит компании «Инфоцентр Плюс». Её основатель, "
                    "согласно утёкшей кадровой базе данных, которую изучили наши журналисты, "
                    "четырнадцать лет прослужил в техническом отделе Управления внутреннего "
                    "порядка.</p>",
                ),
                (
                    "image",
                    {
                        "colour": (96, 96, 96),
                        "photographer": 1,
                        "alt": (
                            "Доска объявлений в Кессвике, обклеенная листовками на варнийском "
                            "языке."
                        ),
                        "caption": (
                            "Листовки с рекламой приложения висели в магазинах и кафе Кессвика, "
                            "популярных у эмигрантов из Варнии."
                        ),
                    },
                ),
                ("subhead", "К чьим родственникам приходили"),
                (
                    "paragraph",
                    "<p>Мы поговорили с девятью пользователями приложения, к родственникам "
                    "которых в Варнии после регистрации приходили сотрудники спецслужбы. В "
                    "четырёх случаях они расспрашивали о политических взглядах пользователя или о "
                    "том, участвовал ли он в протестах за границей. Одна женщина из Кессвика "
                    "рассказала, что её матери показали распечатку сообщения, которое она "
                    "отправила через чат приложения волонтёру, предлагавшему юридическую помощь. "
                    "«Мама не пользуется интернетом, — говорит она. — Она понятия не имела, что "
                    "ей показывают, а они прекрасно знали».</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Мы строили здесь свою жизнь на доверии между незнакомыми людьми. "
                            "Именно этим приложение и было создано воспользоваться."
                        ),
                        "attribution": (
                            "Соня Брелл, координатор сети варнийских волонтёров в Кессвике"
                        ),
                    },
                ),
                (
                    "paragraph",
                    "<p>Управление внутреннего порядка на наши вопросы не ответило. В «Инфоцентре "
                    "Плюс» заявили, что предоставляют «услуги хостинга множеству клиентов» и не "
                    "отвечают за их содержимое. Через несколько дней после наших запросов в "
                    "компании, которые управляют двумя крупнейшими магазинами приложений, "
                    "приложение оттуда удалили, но на телефонах, где оно уже установлено, оно "
                    "продолжает работать. Разработчики не ответили на сообщения, отправленные "
                    "через само приложение.</p>",
                ),
                ("subhead", "Что делать, если вы пользовались приложением"),
                (
                    "paragraph",
                    "<p>Если вы устанавливали «Варнийцев за рубежом», удалите приложение и "
                    "подумайте о том, чтобы предупредить людей из вашего списка контактов: их "
                    "номера тоже могли собрать. Смените пароли, которыми вы могли делиться в чате "
                    "приложения. Если вы беспокоитесь за родственников в Варнии, наша служба "
                    "цифровой безопасности опубликовала <a "
                    'href="https://example.org/guides/exile-digital-safety">руководство по '
                    "цифровой безопасности для эмигрантов</a> и конфиденциально ответит на ваши "
                    "вопросы. Не связывайтесь с разработчиками приложения.</p>",
                ),
            ],
        },
    },
    # Opinion
    {
        "slug": "why-the-lantern-takes-no-ads",
        "section": "opinion",
        "authors": ["marek-dolin"],
        "days_ago": 40,
        "updated_hours_after": None,
        "tags": {
            "en": ["reader funding", "press freedom"],
            "ru": ["поддержка читателей", "свобода прессы"],
        },
        "status": "live",
        "lead_photo": {
            "colour": (121, 85, 72),
            "photographer": 0,
            "en": {
                "alt": (
                    "Editors sitting around a long table covered with printouts in a small "
                    "newsroom."
                ),
                "caption": "The Lantern’s morning meeting in Kessvik.",
            },
            "ru": {
                "alt": (
                    "Редакторы сидят за длинным столом, заваленным распечатками, в небольшой "
                    "редакции."
                ),
                "caption": "Утренняя планёрка «Фонаря» в Кессвике.",
            },
        },
        "en": {
            "headline": "Why The Lantern will never sell you an advertisement",
            "standfirst": (
                "Advertising would make our lives easier and our journalism worse. Here is why we "
                "chose to depend on you instead."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Every few months someone makes us a reasonable offer. A bank, a telecoms "
                    "company and once a perfectly pleasant furniture shop have all wanted to "
                    "place banners on our site. The money would pay for two more reporters. Each "
                    "time, I say no, and each time I am asked to explain why a small newsroom in "
                    "exile can afford to be so proud. This column is my answer.</p>",
                ),
                (
                    "paragraph",
                    "<p>I spent eleven years at newspapers in Ostrel that lived on advertising. I "
                    "watched what happened when the largest advertisers came to belong to people "
                    "close to the government. Nobody ever called to tell us what not to write. "
                    "They did not need to. An editor would look at a story about a construction "
                    "company, then at the quarter’s revenue, and the story would wait, and then "
                    "it would be forgotten.</p>",
                ),
                ("subhead", "Who pays, decides"),
                (
                    "paragraph",
                    "<p>The Lantern has one kind of customer: the reader. About 11,000 people now "
                    "support us with monthly contributions, most of them between 200 and 500 "
                    "varns, and a few thousand more give once a year. That money covers 80 "
                    "percent of our budget; the rest comes from foundations that have agreed in "
                    "writing not to influence our editorial decisions. We publish the list of "
                    "those foundations, and the amounts they give, <a "
                    'href="https://example.org/lantern/finances">every year</a>.</p>',
                ),
                (
                    "quote",
                    {
                        "text": (
                            "A newsroom answers to whoever keeps the lights on. We want that to be "
                            "you."
                        ),
                        "attribution": "Marek Dolin",
                    },
                ),
                (
                    "paragraph",
                    "<p>I will not pretend this is easy. Reader funding is unpredictable, and it "
                    "falls whenever the news feels hopeless, which is exactly when we are most "
                    "needed. It also makes us accountable in a way that advertising never did. "
                    "When we get something wrong, readers write to us within the hour, and some "
                    "of them cancel their contributions. They are right to. We publish "
                    "corrections at the bottom of every article and keep a <a "
                    'href="https://example.org/lantern/corrections">public list</a> of all of '
                    "them.</p>",
                ),
                ("subhead", "What we ask"),
                (
                    "paragraph",
                    "<p>If you can afford it, support us every month, even with a small amount. "
                    "If you cannot, read us, share our work and tell us when we are wrong. Both "
                    "matter. I would rather run a smaller newsroom that owes nothing to anyone "
                    "than a larger one that has to look over its shoulder before every "
                    "headline.</p>",
                ),
            ],
        },
        "ru": {
            "headline": "Почему «Фонарь» никогда не будет продавать вам рекламу",
            "standfirst": (
                "Реклама облегчила бы нам жизнь и сделала бы нашу журналистику хуже. Объясняю, "
                "почему мы решили зависеть от вас."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Раз в несколько месяцев нам делают вполне разумное предложение. Банк, "
                    "оператор связи, а однажды и вполне симпатичный мебельный магазин хотели "
                    "разместить баннеры на нашем сайте. На эти деньги мы могли бы нанять ещё двух "
                    "журналистов. Каждый раз я отказываюсь — и каждый раз меня просят объяснить, "
                    "почему маленькая редакция в изгнании может позволить себе такую гордость. "
                    "Эта колонка — мой ответ.</p>",
                ),
                (
                    "paragraph",
                    "<p>Одиннадцать лет я проработал в острельских газетах, которые жили за счёт "
                    "рекламы. Я видел, что происходило, когда крупнейшие рекламодатели стали "
                    "принадлежать людям, близким к власти. Никто ни разу не звонил нам и не "
                    "говорил, о чём не писать. В этом не было нужды. Редактор смотрел на материал "
                    "о строительной компании, потом на выручку за квартал — и материал "
                    "откладывали, а потом о нём забывали.</p>",
                ),
                ("subhead", "Кто платит, тот и решает"),
                (
                    "paragraph",
                    "<p>У «Фонаря» один вид клиентов — читатель. Сейчас около 11 тысяч человек "
                    "поддерживают нас ежемесячными взносами, в основном от 200 до 500 варнов, и "
                    "ещё несколько тысяч жертвуют раз в год. Эти деньги покрывают 80% нашего "
                    "бюджета; остальное — средства фондов, которые письменно обязались не влиять "
                    "на наши редакционные решения. Список этих фондов и суммы, которые они дают, "
                    'мы публикуем <a href="https://example.org/lantern/finances">каждый '
                    "год</a>.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Редакция подотчётна тому, кто платит за свет. Мы хотим, чтобы это "
                            "были вы."
                        ),
                        "attribution": "Марек Долин",
                    },
                ),
                (
                    "paragraph",
                    "<p>Не буду делать вид, что это легко. Деньги читателей непредсказуемы, и их "
                    "становится меньше всякий раз, когда новости кажутся безнадёжными, — то есть "
                    "именно тогда, когда мы нужнее всего. Кроме того, они делают нас подотчётными "
                    "так, как реклама никогда не делала. Когда мы ошибаемся, читатели пишут нам в "
                    "течение часа, а некоторые отменяют взносы. И они правы. Мы публикуем "
                    "исправления в конце каждой статьи и ведём <a "
                    'href="https://example.org/lantern/corrections">публичный список</a> всех '
                    "исправлений.</p>",
                ),
                ("subhead", "О чём мы просим"),
                (
                    "paragraph",
                    "<p>Если можете себе это позволить, поддерживайте нас каждый месяц, пусть "
                    "даже небольшой суммой. Если не можете — читайте нас, делитесь нашими "
                    "материалами и говорите нам, когда мы ошибаемся. И то и другое важно. Я лучше "
                    "буду руководить небольшой редакцией, которая никому ничего не должна, чем "
                    "большой, которой приходится оглядываться перед каждым заголовком.</p>",
                ),
            ],
        },
    },
    {
        "slug": "what-we-carry-across-the-border",
        "section": "opinion",
        "authors": ["vera-halm"],
        "days_ago": 14,
        "updated_hours_after": None,
        "tags": {"en": ["exile", "books"], "ru": ["эмиграция", "книги"]},
        "status": "live",
        "lead_photo": {
            "colour": (161, 136, 127),
            "photographer": 4,
            "en": {
                "alt": (
                    "An open suitcase on a bed with a few books, a framed photograph and a folded "
                    "scarf."
                ),
                "caption": "Three years after leaving, some things are still unpacked.",
            },
            "ru": {
                "alt": (
                    "Открытый чемодан на кровати: несколько книг, фотография в рамке и сложенный "
                    "шарф."
                ),
                "caption": "Спустя три года после отъезда кое-что так и не распаковано.",
            },
        },
        "en": {
            "headline": "What we carry across the border",
            "standfirst": (
                "Three years after I left Ostrel, I still have not unpacked one box. I have "
                "started to think that this is not a failure but a kind of fidelity."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>When I left Ostrel, I had one evening to pack and a rule I made up on the "
                    "spot: only what fits into one suitcase and one box. I took two sweaters, my "
                    "grandmother’s teaspoons, my documents and eleven books. People often ask me "
                    "which eleven. The honest answer is that I took the ones closest to the "
                    "door.</p>",
                ),
                (
                    "paragraph",
                    "<p>In Kessvik I now have a flat, a residence permit, a library card and a "
                    "favourite bakery. My neighbours are kind and slightly puzzled by the box "
                    "that still stands in my hallway, taped shut. It contains letters, school "
                    "exercise books and the programme of the first play I ever reviewed. I know "
                    "exactly what is inside. I do not open it, because opening it would mean "
                    "deciding where those things belong now.</p>",
                ),
                ("subhead", "Two calendars"),
                (
                    "paragraph",
                    "<p>Everyone I know here lives by two calendars. One tells us when the rent "
                    "is due and when the children’s school holidays begin. The other marks the "
                    "dates of trials in Ostrel, the birthdays of parents we cannot visit, the day "
                    "a friend was released. We check the weather in two cities. We carry two sets "
                    "of keys, and one of them opens nothing.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Exile is not an address. It is the habit of checking the weather in a "
                            "city you cannot go to."
                        ),
                        "attribution": "Vera Halm",
                    },
                ),
                (
                    "paragraph",
                    "<p>I used to think that the task of a culture editor in exile was to "
                    "preserve: to write down the plays that can no longer be staged and to review "
                    "the books that can no longer be sold. That is part of it. But the more I see "
                    "of the choirs, the small presses and the living-room readings that Varnians "
                    "have built in Kessvik, the more I think that our task is also to notice what "
                    "is new. A culture does not survive by being kept in a box.</p>",
                ),
                ("subhead", "The box"),
                (
                    "paragraph",
                    "<p>I will open the box one day, perhaps in Ostrel, perhaps here. Until then "
                    "it reminds me that leaving was a decision made in one evening, and that "
                    "staying away is a decision made every morning. Readers write to me about "
                    "their own boxes and suitcases, about jars of soil from a family garden. "
                    "Please keep writing. This section is for the things we carried and for the "
                    "things we are making now.</p>",
                ),
            ],
        },
        "ru": {
            "headline": "Что мы увозим через границу",
            "standfirst": (
                "Прошло три года с тех пор, как я уехала из Остреля, а одна коробка так и стоит "
                "нераспакованной. Я начинаю думать, что это не слабость, а своего рода верность."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Когда я уезжала из Остреля, у меня был один вечер на сборы и правило, "
                    "придуманное на ходу: только то, что поместится в один чемодан и одну "
                    "коробку. Я взяла два свитера, бабушкины чайные ложки, документы и "
                    "одиннадцать книг. Меня часто спрашивают, какие именно одиннадцать. Честный "
                    "ответ — те, что стояли ближе всего к двери.</p>",
                ),
                (
                    "paragraph",
                    "<p>В Кессвике у меня теперь есть квартира, вид на жительство, читательский "
                    "билет и любимая пекарня. Соседи добры ко мне и немного озадачены коробкой, "
                    "которая до сих пор стоит у меня в коридоре, заклеенная скотчем. В ней "
                    "письма, школьные тетради и программка первого спектакля, о котором я "
                    "написала рецензию. Я точно знаю, что внутри. Я её не открываю, потому что "
                    "открыть — значит решить, где теперь место этим вещам.</p>",
                ),
                ("subhead", "Два календаря"),
                (
                    "paragraph",
                    "<p>Все мои знакомые здесь живут по двум календарям. Один напоминает, когда "
                    "платить за квартиру и когда у детей начинаются каникулы. В другом — даты "
                    "судов в Остреле, дни рождения родителей, к которым нельзя приехать, день, "
                    "когда вышел на свободу друг. Мы смотрим прогноз погоды в двух городах. Мы "
                    "носим с собой две связки ключей, и одна из них ничего не открывает.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Эмиграция — это не адрес. Это привычка проверять погоду в городе, "
                            "куда тебе нельзя."
                        ),
                        "attribution": "Вера Хальм",
                    },
                ),
                (
                    "paragraph",
                    "<p>Раньше я думала, что задача редактора отдела культуры в изгнании — "
                    "сохранять: записывать спектакли, которые больше нельзя поставить, и писать о "
                    "книгах, которые больше нельзя продавать. Это тоже правда. Но чем больше я "
                    "вижу хоров, маленьких издательств и квартирных чтений, которые варнийцы "
                    "создали в Кессвике, тем больше думаю, что наша задача — ещё и замечать "
                    "новое. Культура не выживает, если её держат в коробке.</p>",
                ),
                ("subhead", "Коробка"),
                (
                    "paragraph",
                    "<p>Однажды я открою эту коробку — может быть, в Остреле, может быть, здесь. "
                    "А пока она напоминает мне, что уехать было решением одного вечера, а "
                    "оставаться вдали — решение, которое принимаешь каждое утро. Читатели пишут "
                    "мне о своих коробках и чемоданах, о банках с землёй из родного сада. "
                    "Пожалуйста, пишите и дальше. Этот раздел — для того, что мы увезли с собой, "
                    "и для того, что мы создаём сейчас.</p>",
                ),
            ],
        },
    },
    {
        "slug": "the-sela-remembers",
        "section": "opinion",
        "authors": ["dara-velesk"],
        "days_ago": 7,
        "updated_hours_after": None,
        "tags": {"en": ["Sela river", "environment"], "ru": ["река Села", "экология"]},
        "status": "live",
        "lead_photo": {
            "colour": (77, 112, 105),
            "photographer": 2,
            "en": {
                "alt": "A wide, slow river with reed beds under a pale morning sky.",
                "caption": "The Sela near Dolna Sela, where the author grew up.",
            },
            "ru": {
                "alt": "Широкая медленная река с зарослями тростника под бледным утренним небом.",
                "caption": "Села у Дольна-Селы, где выросла автор колонки.",
            },
        },
        "en": {
            "headline": "The Sela remembers everything we pour into it",
            "standfirst": (
                "I grew up on the river’s delta and learned to read its moods before I could read "
                "books. What it is telling us now should worry everyone who lives downstream — "
                "which is all of us."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>In Dolna Sela, where I grew up, children learned the river’s moods early. "
                    "We knew that when the water was the colour of weak tea it was safe to swim, "
                    "and when it turned grey and fast we stayed on the bank. Every morning for "
                    "forty years, my grandfather wrote down the height of the water on the post "
                    "by the ferry landing. I have his notebook now, and I have been reading it "
                    "alongside our reporting.</p>",
                ),
                (
                    "paragraph",
                    "<p>The Sela has always flooded. What has changed is how few people are "
                    "watching it. The weather office has lost most of its upstream gauges. The "
                    "environmental inspectorate visits the factories above our towns by "
                    "appointment. And the companies that dam, dredge and discharge into the river "
                    "are too often owned by the same people who are supposed to regulate them.</p>",
                ),
                ("subhead", "A river keeps the books"),
                (
                    "paragraph",
                    "<p>A river is an honest accountant. It carries everything downstream and "
                    "leaves it somewhere: the silt from a channel that was never dredged, the "
                    "ammonia from a plant that empties its ponds at night, the plastic from a "
                    "landfill that was supposed to be closed. When our team took samples below "
                    "Lisovar this summer, the numbers did not surprise the fishermen of Teren. "
                    "They had been reading the river’s books for years. Nobody had asked them.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "The river does not care who owns the pipe. It delivers the bill to "
                            "the people at the end of it."
                        ),
                        "attribution": "Dara Velesk",
                    },
                ),
                (
                    "paragraph",
                    "<p>I do not believe that journalism alone will clean the Sela. But I have "
                    "seen what happens when people downstream have the numbers: they are no "
                    "longer told that they imagined the smell. They ask questions at council "
                    "meetings, write to prosecutors and take samples of their own. That is why we "
                    "publish our data and our methods, and why we train volunteers to take "
                    "samples properly.</p>",
                ),
                ("subhead", "What I am asking"),
                (
                    "paragraph",
                    "<p>If you live anywhere along the river and notice something — dead fish, "
                    "strange colours, a smell at night — write it down with the date, time and "
                    "place, and send it to us. Take a photograph if you can do so safely. My "
                    "grandfather’s notebook is the most valuable document I own, because he was "
                    "patient and precise. Together we can keep a better one.</p>",
                ),
            ],
        },
        "ru": {
            "headline": "Села помнит всё, что мы в неё сливаем",
            "standfirst": (
                "Я выросла в дельте реки и научилась понимать её настроение раньше, чем читать. "
                "То, что река говорит нам сейчас, должно тревожить всех, кто живёт ниже по "
                "течению, — то есть всех нас."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>В Дольна-Селе, где я выросла, дети рано учились понимать настроение реки. "
                    "Мы знали: если вода цвета слабого чая, можно купаться, а если она серая и "
                    "быстрая — лучше остаться на берегу. Сорок лет мой дед каждое утро записывал "
                    "в тетрадь уровень воды на столбе у паромной пристани. Теперь эта тетрадь у "
                    "меня, и я перечитываю её параллельно с нашими материалами.</p>",
                ),
                (
                    "paragraph",
                    "<p>Села разливалась всегда. Изменилось другое: за ней почти никто не следит. "
                    "Метеобюро лишилось большинства гидропостов выше по течению. Экологическая "
                    "инспекция приезжает на заводы выше наших городов по предварительной "
                    "договорённости. А компании, которые перегораживают реку плотинами, углубляют "
                    "её дно и сбрасывают в неё отходы, слишком часто принадлежат тем же людям, "
                    "которые должны их контролировать.</p>",
                ),
                ("subhead", "Река ведёт бухгалтерию"),
                (
                    "paragraph",
                    "<p>Река — честный бухгалтер. Всё, что в неё попадает, она несёт вниз по "
                    "течению и где-нибудь оставляет: ил с фарватера, который так и не углубили, "
                    "аммиак с завода, который по ночам опорожняет пруды, пластик со свалки, "
                    "которую давно должны были закрыть. Когда этим летом наша команда брала пробы "
                    "ниже Лисовара, результаты не удивили рыбаков из Терена. Они годами читали "
                    "речную бухгалтерию. Просто их никто не спрашивал.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Реке всё равно, кому принадлежит труба. Счёт она выставляет тем, кто "
                            "живёт в её конце."
                        ),
                        "attribution": "Дара Велеск",
                    },
                ),
                (
                    "paragraph",
                    "<p>Я не верю, что одна только журналистика очистит Селу. Но я видела, что "
                    "происходит, когда у людей ниже по течению появляются цифры: им больше не "
                    "говорят, что запах им померещился. Они задают вопросы на заседаниях советов, "
                    "пишут в прокуратуру, сами берут пробы. Поэтому мы публикуем наши данные и "
                    "методику и учим волонтёров правильно отбирать пробы.</p>",
                ),
                ("subhead", "О чём я прошу"),
                (
                    "paragraph",
                    "<p>Если вы живёте где-нибудь на реке и замечаете что-то необычное — мёртвую "
                    "рыбу, странный цвет воды, запах по ночам, — запишите это с датой, временем и "
                    "местом и пришлите нам. Если это безопасно, сфотографируйте. Тетрадь деда — "
                    "самый ценный документ, который у меня есть, потому что он был терпелив и "
                    "точен. Вместе мы можем вести тетрадь получше.</p>",
                ),
            ],
        },
    },
    {
        "slug": "village-without-a-school",
        "section": "opinion",
        "authors": ["timur-oskol"],
        "days_ago": 4,
        "updated_hours_after": None,
        "tags": {"en": ["schools", "regions"], "ru": ["школы", "регионы"]},
        "status": "live",
        "lead_photo": {
            "colour": (139, 119, 101),
            "photographer": 1,
            "en": {
                "alt": (
                    "A small brick school building with a bell above the door in a snowy village."
                ),
                "caption": "The school in Hrab, where the author’s mother taught for thirty years.",
            },
            "ru": {
                "alt": (
                    "Небольшое кирпичное здание школы с колоколом над дверью в заснеженном селе."
                ),
                "caption": "Школа в Грабе, где мать автора колонки проработала тридцать лет.",
            },
        },
        "en": {
            "headline": "A village without a school is a village with an expiry date",
            "standfirst": (
                "The education ministry calls it optimisation. I call it what I watched happen to "
                "my mother’s village: the slow closure of everything, starting with the children."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>My mother taught mathematics for thirty years at the village school in "
                    "Hrab, in the Pradno region. When I read the ministry’s list of 43 schools to "
                    "be closed, which my colleagues published yesterday, I found Hrab on page "
                    "two. I am not neutral about this, and I will not pretend to be. But I have "
                    "also spent fifteen years reporting on what happens to places like Hrab, and "
                    "I believe the ministry is making a serious mistake.</p>",
                ),
                (
                    "paragraph",
                    "<p>On paper, the case for closing small schools sounds reasonable. Larger "
                    "schools can afford specialist teachers, laboratories and sports halls, and "
                    "the cost per pupil is lower. But the comparison assumes that a child who "
                    "spends an hour and a half a day on a bus learns as much as one who walks to "
                    "school in ten minutes. Every study I have read, including the ministry’s own "
                    "evaluation of the Lisovar mergers, suggests otherwise.</p>",
                ),
                ("subhead", "What a school holds together"),
                (
                    "paragraph",
                    "<p>A village school is rarely just a school. In Hrab it was also the polling "
                    "station, the place where the district nurse saw patients on Thursdays, the "
                    "hall for weddings and wakes, and the only building with reliable heating in "
                    "winter. The teachers were among the few residents with a university degree; "
                    "they filled in pension forms for their neighbours and argued with the "
                    "district about the road. When the school goes, all of that goes with it.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "We are told the children will have better schools. Nobody says where "
                            "their parents will live once the village empties."
                        ),
                        "attribution": "Timur Oskol",
                    },
                ),
                (
                    "paragraph",
                    "<p>There are alternatives. In several countries, small schools share "
                    "specialist teachers who travel between them, teach some subjects remotely "
                    "and pool resources across districts. Varnia itself tried a version of this a "
                    "decade ago, in a pilot programme that was quietly dropped when its funding "
                    "ran out. Its evaluation, which we have obtained, found that pupils’ results "
                    "improved. The ministry has never explained why the programme was not "
                    "continued.</p>",
                ),
                ("subhead", "A decision that cannot be undone"),
                (
                    "paragraph",
                    "<p>Closing a school takes a signature. Reopening one after the families have "
                    "left is practically impossible. If the ministry believes in its plan, it "
                    "should publish its calculations, hold the hearings it has promised and let "
                    "the parents of Hrab and Brody make their case in public. That is the least a "
                    "government owes to the places it is about to erase from the map.</p>",
                ),
            ],
        },
        "ru": {
            "headline": "Село без школы — это село со сроком годности",
            "standfirst": (
                "Министерство образования называет это оптимизацией. Я называю это тем, что видел "
                "в селе моей матери: медленным закрытием всего, начиная с детей."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Моя мать тридцать лет преподавала математику в сельской школе в Грабе, в "
                    "Праднинском регионе. Когда я прочитал список из 43 школ, которые "
                    "министерство собирается закрыть, — мои коллеги опубликовали его вчера, — я "
                    "нашёл Граб на второй странице. Я не могу быть беспристрастным в этой теме и "
                    "не буду притворяться. Но я уже пятнадцать лет пишу о том, что происходит с "
                    "такими местами, как Граб, и убеждён, что министерство совершает серьёзную "
                    "ошибку.</p>",
                ),
                (
                    "paragraph",
                    "<p>На бумаге доводы в пользу закрытия маленьких школ звучат разумно. Крупные "
                    "школы могут позволить себе учителей-предметников, лаборатории и спортзалы, а "
                    "расходы на одного ученика там ниже. Но это сравнение исходит из того, что "
                    "ребёнок, который полтора часа в день проводит в автобусе, усваивает столько "
                    "же, сколько тот, кто идёт до школы десять минут пешком. Все исследования, "
                    "которые я читал, включая собственную оценку министерства по итогам "
                    "лисоварских слияний, говорят об обратном.</p>",
                ),
                ("subhead", "Что держится на школе"),
                (
                    "paragraph",
                    "<p>Сельская школа редко бывает просто школой. В Грабе это был и "
                    "избирательный участок, и место, где по четвергам принимала районная "
                    "медсестра, и зал для свадеб и поминок, и единственное здание, где зимой "
                    "надёжно топили. Учителя были одними из немногих жителей с высшим "
                    "образованием: они заполняли соседям пенсионные бумаги и спорили с районом "
                    "из-за дороги. Когда уходит школа, всё это уходит вместе с ней.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Нам говорят, что у детей будут школы получше. Никто не говорит, где "
                            "будут жить их родители, когда село опустеет."
                        ),
                        "attribution": "Тимур Оскол",
                    },
                ),
                (
                    "paragraph",
                    "<p>Альтернативы есть. В ряде стран маленькие школы делят "
                    "учителей-предметников, которые ездят между ними, преподают часть предметов "
                    "дистанционно и объединяют ресурсы нескольких районов. Варния сама пробовала "
                    "нечто подобное десять лет назад — в пилотной программе, которую тихо "
                    "свернули, когда закончилось финансирование. В её итоговой оценке, которая "
                    "есть у нас, говорится, что результаты учеников улучшились. Почему программу "
                    "не продолжили, министерство так и не объяснило.</p>",
                ),
                ("subhead", "Решение, которое нельзя отменить"),
                (
                    "paragraph",
                    "<p>Чтобы закрыть школу, достаточно подписи. Открыть её снова, когда семьи "
                    "уже уехали, практически невозможно. Если министерство верит в свой план, "
                    "пусть опубликует расчёты, проведёт обещанные слушания и даст родителям из "
                    "Граба и Бродов публично отстоять свою позицию. Это меньшее, что "
                    "правительство должно местам, которые оно собирается стереть с карты.</p>",
                ),
            ],
        },
    },
    {
        "slug": "a-trial-without-an-audience",
        "section": "opinion",
        "authors": ["ilya-marten"],
        "days_ago": 20,
        "updated_hours_after": None,
        "tags": {"en": ["courts", "press freedom"], "ru": ["суды", "свобода прессы"]},
        "status": "live",
        "lead_photo": {
            "colour": (62, 39, 35),
            "photographer": 3,
            "en": {
                "alt": "An empty courtroom bench with a wooden rail and a closed door behind it.",
                "caption": (
                    "A courtroom at Ostrel District Court No. 3. Since last year, many hearings "
                    "here have been closed to the public."
                ),
            },
            "ru": {
                "alt": "Пустая скамья в зале суда, деревянный барьер и закрытая дверь за ним.",
                "caption": (
                    "Зал Острельского районного суда № 3. С прошлого года многие заседания здесь "
                    "проходят в закрытом режиме."
                ),
            },
        },
        "en": {
            "headline": "A trial without an audience is not a trial",
            "standfirst": (
                "For years I sat in the back row of Varnian courtrooms. Now I follow them from "
                "abroad, and more and more of them have no back row at all."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>For nine years, my job was to sit in the back row. I covered more than "
                    "three hundred hearings in Ostrel’s courts: tax cases, land disputes, murders "
                    "and, increasingly, the trials of people accused of saying the wrong thing. I "
                    "learned that the most important person in a courtroom is often the one who "
                    "says nothing and writes everything down. I also learned how quickly a "
                    "judge’s manner changes when that person is asked to leave.</p>",
                ),
                (
                    "paragraph",
                    "<p>Since last year, Varnian courts have had the power to close any hearing "
                    "“in the interests of public order”. According to a count by the Varnian "
                    "Media Defence Fund, at least 140 hearings in cases involving journalists, "
                    "activists or protesters were closed in the past twelve months. In most of "
                    "them, the reason given was a single sentence. In several, the public was "
                    "sent out before the charges had even been read.</p>",
                ),
                ("subhead", "What the back row is for"),
                (
                    "paragraph",
                    "<p>Open courts are not a courtesy to journalists. They exist so that a "
                    "defendant’s family can see what the state does in its name, so that "
                    "witnesses know their words will be heard beyond the room, and so that judges "
                    "know their reasoning will itself be judged. When a hearing is closed, the "
                    "only record is the one kept by the court. I have read enough of those "
                    "records to know that they are not always complete.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "The state does not fear the verdict being known. It fears the trial "
                            "being seen."
                        ),
                        "attribution": "Ilya Marten",
                    },
                ),
                (
                    "paragraph",
                    "<p>I now follow trials from Kessvik, through defendants’ relatives, through "
                    "lawyers and through a small network of volunteers who still go to the courts "
                    "and sit in the corridors when they are not allowed into the room. They note "
                    "who enters and leaves, how long the hearing lasts, what the defendant’s face "
                    "looks like when the door opens. It is a poor substitute for a seat in the "
                    "room. Sometimes it is also the only record that exists outside the state’s "
                    "own.</p>",
                ),
                ("subhead", "An offer to readers"),
                (
                    "paragraph",
                    "<p>If you attend a hearing in Varnia — as a relative, as a friend or simply "
                    "as a citizen — and are willing to share what you saw, please write to us. We "
                    "will not publish your name unless you ask us to. By law, every court in the "
                    "country is still open to the public unless a judge decides otherwise. Let us "
                    "make them give a reason every single time.</p>",
                ),
            ],
        },
        "ru": {
            "headline": "Суд без публики — это не суд",
            "standfirst": (
                "Годами я сидел в последнем ряду варнийских залов суда. Теперь я слежу за "
                "процессами из-за границы — и всё чаще последнего ряда там просто нет."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Девять лет моя работа состояла в том, чтобы сидеть в последнем ряду. Я "
                    "освещал больше трёхсот заседаний в судах Остреля: налоговые дела, земельные "
                    "споры, убийства и — всё чаще — процессы над людьми, которых обвиняли в том, "
                    "что они сказали что-то не то. Я понял, что самый важный человек в зале суда "
                    "— часто тот, кто молчит и всё записывает. И я понял, как быстро меняется "
                    "манера судьи, когда этого человека просят выйти.</p>",
                ),
                (
                    "paragraph",
                    "<p>С прошлого года суды Варнии вправе закрыть любое заседание «в интересах "
                    "общественного порядка». По подсчётам Варнийского фонда защиты СМИ, за "
                    "последние двенадцать месяцев закрытыми были как минимум 140 заседаний по "
                    "делам журналистов, активистов и участников протестов. В большинстве случаев "
                    "причина уложилась в одно предложение. В нескольких публику выставили из зала "
                    "ещё до оглашения обвинения.</p>",
                ),
                ("subhead", "Зачем нужен последний ряд"),
                (
                    "paragraph",
                    "<p>Открытый суд — не любезность по отношению к журналистам. Он нужен, чтобы "
                    "семья подсудимого видела, что государство делает от её имени, чтобы "
                    "свидетели знали, что их слова услышат за пределами зала, и чтобы судьи "
                    "знали, что их доводы тоже будут оценивать. Когда заседание закрыто, "
                    "единственной записью остаётся протокол, который ведёт сам суд. Я прочитал "
                    "достаточно таких протоколов, чтобы знать: они не всегда полны.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Государство не боится, что узнают приговор. Оно боится, что увидят "
                            "процесс."
                        ),
                        "attribution": "Илья Мартен",
                    },
                ),
                (
                    "paragraph",
                    "<p>Теперь я слежу за процессами из Кессвика — через родственников "
                    "подсудимых, через адвокатов и через небольшую сеть волонтёров, которые "
                    "по-прежнему ходят в суды и сидят в коридорах, когда их не пускают в зал. Они "
                    "записывают, кто входит и выходит, сколько длится заседание, какое лицо у "
                    "подсудимого, когда открывается дверь. Это плохая замена месту в зале. Но "
                    "иногда это единственная запись, существующая помимо государственной.</p>",
                ),
                ("subhead", "Просьба к читателям"),
                (
                    "paragraph",
                    "<p>Если вы бываете на заседаниях в Варнии — как родственник, как друг или "
                    "просто как гражданин — и готовы рассказать, что видели, пожалуйста, напишите "
                    "нам. Мы не будем публиковать ваше имя, если вы сами об этом не попросите. По "
                    "закону любой суд в стране по-прежнему открыт для публики, если судья не "
                    "решит иначе. Давайте добиваться, чтобы каждый раз они называли причину.</p>",
                ),
            ],
        },
    },
    {
        "slug": "reading-in-the-dark",
        "section": "opinion",
        "authors": ["marek-dolin"],
        "days_ago": 0,
        "updated_hours_after": None,
        "tags": {"en": ["censorship", "reader funding"], "ru": ["цензура", "поддержка читателей"]},
        "status": "draft",
        "lead_photo": {
            "colour": (38, 50, 56),
            "photographer": 0,
            "en": {
                "alt": (
                    "A person reading on a phone under a blanket, the screen lighting up their "
                    "face."
                ),
                "caption": (
                    "Since the block, most of our readers in Varnia reach us through VPNs and the "
                    "newsletter."
                ),
            },
            "ru": {
                "alt": "Человек читает с телефона под одеялом, экран освещает его лицо.",
                "caption": (
                    "После блокировки большинство наших читателей в Варнии добираются до нас через "
                    "VPN и рассылку."
                ),
            },
        },
        "en": {
            "headline": "Reading in the dark: what the block taught us about our readers",
            "standfirst": (
                "Almost two weeks after Varnia blocked our website, more people are reading The "
                "Lantern than before. I want to explain why that is not a victory."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>When the State Media Oversight Office blocked our website, we expected "
                    "our audience inside Varnia to halve. For the first three days, it did. Then "
                    "something happened that none of us had predicted: readers began to come "
                    "back, through VPNs, through mirrors and through the newsletter, which gained "
                    "more subscribers in ten days than in the previous six months. Today more "
                    "people in Varnia read us each week than before the block.</p>",
                ),
                (
                    "paragraph",
                    "<p>It would be easy to call this a victory, and some of our supporters have. "
                    "I do not think it is one. Every reader who now reaches us through a VPN has "
                    "had to learn a small act of disobedience, and some of them will pay for it. "
                    "A teacher from Pradno wrote to tell us that she reads us at night on her "
                    "son’s phone, because she is afraid that her own might be checked at work.</p>",
                ),
                ("subhead", "The cost of reading"),
                (
                    "paragraph",
                    "<p>Censorship rarely stops people from reading altogether. What it does is "
                    "make reading expensive: in time, in technical skill, in nerves. The people "
                    "who can pay that price — younger, urban, comfortable with technology — keep "
                    "reading. Those who cannot slowly drift towards television, where the news is "
                    "free and the price is paid in other ways. Our challenge is not the size of "
                    "our audience but who we are losing from it.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Every block is a tax on curiosity, and it falls hardest on those who "
                            "can least afford it."
                        ),
                        "attribution": "Marek Dolin",
                    },
                ),
                (
                    "paragraph",
                    "<p>We are working on answers. We are testing a text-only version of the site "
                    "that loads on the slowest connections, a weekly audio bulletin that can be "
                    "forwarded by messenger, and a printed digest that volunteers leave in places "
                    "where people wait: clinics, bus stations, launderettes. None of these will "
                    "reach everyone. All of them cost money that only our readers can give.</p>",
                ),
                ("subhead", "What comes next"),
                (
                    "paragraph",
                    "<p>I will write again when we know which of these experiments work. In the "
                    "meantime, if you are reading this in Varnia, thank you for the trouble you "
                    "took to get here. If you are reading it abroad, please remember that for "
                    "someone in Ostrel, these same words took a VPN, a little courage and perhaps "
                    "a borrowed phone.</p>",
                ),
            ],
        },
        "ru": {
            "headline": "Читать в темноте: чему блокировка научила нас о наших читателях",
            "standfirst": (
                "Почти через две недели после того, как Варния заблокировала наш сайт, «Фонарь» "
                "читает больше людей, чем раньше. Хочу объяснить, почему это не победа."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Когда Государственное управление по надзору за СМИ заблокировало наш "
                    "сайт, мы ожидали, что аудитория внутри Варнии сократится вдвое. Первые три "
                    "дня так и было. А потом случилось то, чего никто из нас не предвидел: "
                    "читатели стали возвращаться — через VPN, через зеркала и через рассылку, на "
                    "которую за десять дней подписалось больше людей, чем за предыдущие полгода. "
                    "Сегодня нас каждую неделю читает больше людей в Варнии, чем до "
                    "блокировки.</p>",
                ),
                (
                    "paragraph",
                    "<p>Было бы легко назвать это победой, и некоторые наши сторонники так и "
                    "делают. Я так не думаю. Каждому читателю, который сейчас добирается до нас "
                    "через VPN, пришлось освоить маленький акт неповиновения, и кто-то из них за "
                    "это заплатит. Учительница из Прадно написала нам, что читает нас по ночам с "
                    "телефона сына, потому что боится, что её собственный могут проверить на "
                    "работе.</p>",
                ),
                ("subhead", "Цена чтения"),
                (
                    "paragraph",
                    "<p>Цензура редко полностью мешает людям читать. Она делает чтение дорогим — "
                    "по времени, по техническим навыкам, по нервам. Те, кто может заплатить эту "
                    "цену, — молодые, городские, уверенно обращающиеся с технологиями, — "
                    "продолжают читать. Те, кто не может, постепенно уходят к телевизору, где "
                    "новости бесплатны, а расплачиваться приходится иначе. Наша задача — думать "
                    "не о размере аудитории, а о том, кого мы из неё теряем.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Каждая блокировка — это налог на любопытство, и тяжелее всего он "
                            "ложится на тех, кому труднее всего его платить."
                        ),
                        "attribution": "Марек Долин",
                    },
                ),
                (
                    "paragraph",
                    "<p>Мы ищем решения. Мы тестируем текстовую версию сайта, которая загружается "
                    "даже при самом медленном соединении, еженедельный аудиобюллетень, который "
                    "можно пересылать в мессенджерах, и печатный дайджест, который волонтёры "
                    "оставляют там, где люди ждут: в поликлиниках, на автовокзалах, в прачечных. "
                    "Ни одно из этих решений не дойдёт до всех. Все они стоят денег, которые "
                    "могут дать только наши читатели.</p>",
                ),
                ("subhead", "Что дальше"),
                (
                    "paragraph",
                    "<p>Я напишу снова, когда мы поймём, какие из этих экспериментов работают. А "
                    "пока — если вы читаете это в Варнии, спасибо, что потрудились сюда "
                    "добраться. Если вы читаете это за границей, помните: чтобы кто-то в Остреле "
                    "прочитал эти же слова, ему понадобились VPN, немного смелости и, возможно, "
                    "чужой телефон.</p>",
                ),
            ],
        },
    },
    # Culture
    {
        "slug": "chamber-theatre-cancels-premiere",
        "section": "culture",
        "authors": ["vera-halm"],
        "days_ago": 1,
        "updated_hours_after": 3,
        "tags": {"en": ["theatre", "censorship"], "ru": ["театр", "цензура"]},
        "status": "live",
        "lead_photo": {
            "colour": (106, 27, 58),
            "photographer": 3,
            "en": {
                "alt": (
                    "A theatre stage with a painted backdrop of a river town, in front of empty "
                    "rows of red seats."
                ),
                "caption": (
                    "The set of “The Ferryman’s Daughters” at the Ostrel Chamber Theatre, "
                    "photographed during the final dress rehearsal."
                ),
            },
            "ru": {
                "alt": (
                    "Театральная сцена с расписным задником, изображающим речной городок, и пустые "
                    "ряды красных кресел."
                ),
                "caption": (
                    "Декорации спектакля «Дочери паромщика» в Острельском камерном театре на "
                    "генеральной репетиции."
                ),
            },
        },
        "en": {
            "headline": (
                "Ostrel Chamber Theatre cancels premiere after visit from ministry officials"
            ),
            "standfirst": (
                "“The Ferryman’s Daughters”, a new play about a family in a flood-prone river "
                "town, was due to open this week. The theatre cites “technical reasons”; members "
                "of the company say otherwise."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>The Ostrel Chamber Theatre has cancelled the premiere of “The Ferryman’s "
                    "Daughters”, a new play by the Varnian playwright Teodora Lask, two days "
                    "before its opening night. In a short notice on its website, the theatre "
                    "cited “technical reasons” and offered refunds to ticket holders. The "
                    "production had been in rehearsal for four months, and the first three "
                    "performances had sold out.</p>",
                ),
                (
                    "paragraph",
                    "<p>Three members of the company, who spoke on condition of anonymity because "
                    "they feared losing their jobs, told The Lantern that two officials from the "
                    "Ministry of Culture had attended the final dress rehearsal. Afterwards, the "
                    "officials spent more than an hour behind closed doors with the theatre’s "
                    "director, Yeva Stolar. The next morning the cast was told that the premiere "
                    "would not go ahead. The ministry said it “does not interfere in the artistic "
                    "decisions of theatres”.</p>",
                ),
                (
                    "image",
                    {
                        "colour": (120, 90, 80),
                        "photographer": 3,
                        "alt": (
                            "Actors in costume standing in a half-lit rehearsal room, reading from "
                            "scripts."
                        ),
                        "caption": (
                            "The cast at a read-through in the spring. Two of the actors have "
                            "since been told that their contracts will not be renewed."
                        ),
                    },
                ),
                ("subhead", "A play about a flood"),
                (
                    "paragraph",
                    "<p>The play follows three sisters who run a ferry in a small town on a river "
                    "that floods every spring, and the visit of a regional official who promises "
                    "them a bridge. According to people who have read the script, it contains no "
                    "references to real politicians or to Varnia by name. It does contain a scene "
                    "in which the official tells the sisters that the river gauges have been "
                    "removed “to save money”, and another in which the town’s newspaper is closed "
                    "down.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "We were told the lighting rig was unsafe. It was perfectly safe at "
                            "the dress rehearsal, and it is safe enough for the concert booked for "
                            "next week."
                        ),
                        "attribution": "A member of the Chamber Theatre company",
                    },
                ),
                (
                    "paragraph",
                    "<p>Yeva Stolar, who has run the Chamber Theatre for eleven years, did not "
                    "respond to requests for comment. Teodora Lask, who lives in Ostrel, said in "
                    "a brief message that she had “not been given any explanation” and that she "
                    "hoped the play would be staged “somewhere, some day”. It is the third "
                    "production cancelled at an Ostrel theatre this year; the previous two, at "
                    "the Municipal Youth Theatre, were also blamed on technical problems.</p>",
                ),
                ("subhead", "Update"),
                (
                    "paragraph",
                    "<p><b>Update:</b> After publication, Teodora Lask announced that a staged "
                    "reading of “The Ferryman’s Daughters” will take place at the Varnian "
                    "Cultural Centre in Kessvik next month. Admission will be free, and the "
                    "reading will be streamed online. The Ostrel Chamber Theatre has removed the "
                    "play from its season programme.</p>",
                ),
            ],
        },
        "ru": {
            "headline": (
                "Острельский камерный театр отменил премьеру после визита чиновников министерства"
            ),
            "standfirst": (
                "Спектакль «Дочери паромщика» — о семье из речного городка, который каждую весну "
                "затапливает, — должен был выйти на этой неделе. Театр ссылается на «технические "
                "причины», участники труппы говорят другое."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Острельский камерный театр за два дня до премьеры отменил спектакль "
                    "«Дочери паромщика» по новой пьесе варнийского драматурга Теодоры Ласк. В "
                    "коротком объявлении на сайте театр сослался на «технические причины» и "
                    "предложил зрителям вернуть деньги за билеты. Репетиции шли четыре месяца, а "
                    "билеты на первые три показа были распроданы.</p>",
                ),
                (
                    "paragraph",
                    "<p>Трое участников труппы, попросивших не называть их имён, потому что "
                    "боятся потерять работу, рассказали «Фонарю», что на генеральной репетиции "
                    "присутствовали двое сотрудников Министерства культуры. После спектакля они "
                    "больше часа разговаривали с директором театра Евой Столяр за закрытыми "
                    "дверями. На следующее утро актёрам сообщили, что премьеры не будет. В "
                    "министерстве заявили, что «не вмешиваются в художественные решения "
                    "театров».</p>",
                ),
                (
                    "image",
                    {
                        "colour": (120, 90, 80),
                        "photographer": 3,
                        "alt": (
                            "Актёры в костюмах стоят в полутёмном репетиционном зале и читают "
                            "текст по листам."
                        ),
                        "caption": (
                            "Актёры на читке весной. Двоим из них уже сообщили, что их контракты "
                            "не продлят."
                        ),
                    },
                ),
                ("subhead", "Пьеса о наводнении"),
                (
                    "paragraph",
                    "<p>Пьеса рассказывает о трёх сёстрах, которые держат паром в маленьком "
                    "городке на реке, каждую весну выходящей из берегов, и о визите регионального "
                    "чиновника, который обещает им мост. По словам людей, читавших текст, в нём "
                    "нет упоминаний ни реальных политиков, ни Варнии. Зато в нём есть сцена, где "
                    "чиновник объясняет сёстрам, что гидропосты на реке убрали «ради экономии», и "
                    "ещё одна — о закрытии городской газеты.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Нам сказали, что осветительное оборудование небезопасно. На "
                            "генеральной репетиции с ним всё было в порядке, и для концерта, "
                            "назначенного на следующую неделю, оно вполне годится."
                        ),
                        "attribution": "Участник труппы Камерного театра",
                    },
                ),
                (
                    "paragraph",
                    "<p>Ева Столяр, которая руководит Камерным театром одиннадцать лет, не "
                    "ответила на просьбы о комментарии. Теодора Ласк, живущая в Остреле, написала "
                    "в коротком сообщении, что ей «не дали никаких объяснений» и что она "
                    "надеется, что пьесу поставят «где-нибудь и когда-нибудь». Это уже третий "
                    "спектакль, отменённый в острельских театрах в этом году; отмену двух "
                    "предыдущих, в Муниципальном молодёжном театре, тоже объяснили техническими "
                    "проблемами.</p>",
                ),
                ("subhead", "Обновление"),
                (
                    "paragraph",
                    "<p><b>Обновление:</b> После публикации Теодора Ласк объявила, что в "
                    "следующем месяце в Варнийском культурном центре в Кессвике пройдёт "
                    "сценическая читка «Дочерей паромщика». Вход будет свободным, читку покажут в "
                    "прямом эфире. Острельский камерный театр убрал спектакль из программы "
                    "сезона.</p>",
                ),
            ],
        },
    },
    {
        "slug": "the-salt-ledger-review",
        "section": "culture",
        "authors": ["vera-halm"],
        "days_ago": 10,
        "updated_hours_after": None,
        "tags": {"en": ["books", "exile"], "ru": ["книги", "эмиграция"]},
        "status": "live",
        "lead_photo": {
            "colour": (188, 170, 164),
            "photographer": 4,
            "en": {
                "alt": (
                    "A hardback novel with a pale blue cover lying on a wooden table next to a cup "
                    "of coffee."
                ),
                "caption": (
                    "“The Salt Ledger” was published by Small Boat Press in Kessvik after two "
                    "Varnian publishers turned it down."
                ),
            },
            "ru": {
                "alt": (
                    "Роман в твёрдой бледно-голубой обложке лежит на деревянном столе рядом с "
                    "чашкой кофе."
                ),
                "caption": (
                    "«Соляной гроссбух» выпустило кессвикское издательство «Малая лодка» после "
                    "того, как два варнийских издательства отказались от рукописи."
                ),
            },
        },
        "en": {
            "headline": (
                "“The Salt Ledger”: Irena Gaal’s novel of a family that kept accounts of everything"
            ),
            "standfirst": (
                "The Ostrel-born writer’s first novel, published in exile, is a patient, funny and "
                "finally devastating book about what a family chooses to write down and what it "
                "chooses to forget."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>The Teplers of Irena Gaal’s first novel are a family of bookkeepers. For "
                    "four generations, in a salt-mining town at the foot of the northern hills, "
                    "they have kept accounts: of the mine’s wages, of the town’s debts and, in a "
                    "series of green ledgers hidden under the floor of the family house, of "
                    "everything that has happened to them. The novel begins when the youngest "
                    "Tepler, a translator living abroad, inherits the ledgers and reluctantly "
                    "begins to read them.</p>",
                ),
                (
                    "paragraph",
                    "<p>Gaal, who was born in Ostrel and has lived in Kessvik for four years, "
                    "structures the book as a series of entries, some a single line long, some "
                    "running to twenty pages. A grandmother records the price of bread and, in "
                    "the same column, the arrest of a neighbour. A father notes a promotion and, "
                    "beneath it, the name of the colleague he did not defend. At first the effect "
                    "is comic: the Teplers are pedantic, quarrelsome and very funny about one "
                    "another’s handwriting. Gradually it becomes something else.</p>",
                ),
                ("subhead", "The arithmetic of silence"),
                (
                    "paragraph",
                    "<p>What the novel understands, better than almost anything I have read about "
                    "Varnia, is that a family’s silences have their own arithmetic. The ledgers "
                    "are meticulous about money and strangely vague about people; every time "
                    "something important happens, the entry gets shorter. The narrator learns to "
                    "read the gaps — a page left blank, a sum that does not add up — and the "
                    "reader learns with her. By the final third, the smallest omission carries "
                    "enormous weight.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "We kept accounts so that nobody could say we did not know. Then we "
                            "hid the accounts so that nobody could prove we did."
                        ),
                        "attribution": "Irena Gaal, “The Salt Ledger”",
                    },
                ),
                (
                    "paragraph",
                    "<p>The book has flaws. The chapters set in the present, in an unnamed "
                    "foreign city, are less vivid than the ledgers, and a late romantic subplot "
                    "feels as if it belongs to another novel. But these are the weaknesses of an "
                    "ambitious first book, not a timid one. Two Varnian publishers rejected the "
                    "manuscript, one of them, according to Gaal, after a lawyer had read it. "
                    "Small Boat Press in Kessvik has published it in Varnian, and a translated "
                    "edition is planned for next year.</p>",
                ),
                ("subhead", "Where to find it"),
                (
                    "paragraph",
                    "<p>“The Salt Ledger” is available from Small Boat Press and from <a "
                    'href="https://example.org/books/salt-ledger">its online shop</a>, which '
                    "ships to most countries. Readers in Varnia can download an electronic "
                    "edition through the publisher’s mirror site. Irena Gaal will read from the "
                    "novel at the Varnian Cultural Centre in Kessvik at the end of the month.</p>",
                ),
            ],
        },
        "ru": {
            "headline": "«Соляной гроссбух»: роман Ирены Гааль о семье, которая вела учёт всему",
            "standfirst": (
                "Первый роман уроженки Остреля, изданный в эмиграции, — неторопливая, смешная и в "
                "итоге сокрушительная книга о том, что семья решает записать, а что — забыть."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Теплеры из первого романа Ирены Гааль — семья бухгалтеров. Четыре "
                    "поколения подряд в городке соляных копей у подножия северных холмов они "
                    "ведут учёт: зарплат на руднике, долгов города, а в серии зелёных гроссбухов, "
                    "спрятанных под полом семейного дома, — всего, что с ними происходило. Роман "
                    "начинается с того, что младшая из Теплеров, переводчица, живущая за "
                    "границей, получает эти книги в наследство и нехотя начинает их читать.</p>",
                ),
                (
                    "paragraph",
                    "<p>Гааль, которая родилась в Остреле и уже четыре года живёт в Кессвике, "
                    "строит книгу как череду записей — от одной строки до двадцати страниц. "
                    "Бабушка записывает цену хлеба и в той же графе — арест соседа. Отец отмечает "
                    "повышение по службе, а под ним — имя коллеги, за которого не заступился. "
                    "Поначалу это смешно: Теплеры педантичны, сварливы и очень остроумно "
                    "издеваются над почерком друг друга. Постепенно смех превращается во что-то "
                    "другое.</p>",
                ),
                ("subhead", "Арифметика молчания"),
                (
                    "paragraph",
                    "<p>Этот роман лучше почти всего, что я читала о Варнии, понимает, что у "
                    "семейного молчания есть своя арифметика. Гроссбухи скрупулёзны во всём, что "
                    "касается денег, и странно уклончивы во всём, что касается людей: каждый раз, "
                    "когда происходит что-то важное, запись становится короче. Рассказчица учится "
                    "читать пробелы — пустую страницу, не сходящуюся сумму, — и читатель учится "
                    "вместе с ней. К последней трети романа самое малое умолчание весит "
                    "невероятно много.</p>",
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Мы вели учёт, чтобы никто не мог сказать, что мы не знали. А потом "
                            "прятали учёт, чтобы никто не мог доказать, что знали."
                        ),
                        "attribution": "Ирена Гааль, «Соляной гроссбух»",
                    },
                ),
                (
                    "paragraph",
                    "<p>У книги есть недостатки. Главы о настоящем, действие которых происходит в "
                    "безымянном иностранном городе, не такие живые, как гроссбухи, а поздняя "
                    "любовная линия выглядит так, будто попала сюда из другого романа. Но это "
                    "слабости амбициозного дебюта, а не робкого. Два варнийских издательства "
                    "отказались от рукописи — одно из них, по словам Гааль, после того как текст "
                    "прочитал юрист. Издательство «Малая лодка» в Кессвике выпустило роман на "
                    "варнийском, а в следующем году планируется издание в переводе.</p>",
                ),
                ("subhead", "Где найти книгу"),
                (
                    "paragraph",
                    "<p>«Соляной гроссбух» можно купить в издательстве «Малая лодка» и в <a "
                    'href="https://example.org/books/salt-ledger">его интернет-магазине</a>, '
                    "который доставляет книги в большинство стран. Читатели в Варнии могут "
                    "скачать электронную версию через зеркало сайта издательства. В конце месяца "
                    "Ирена Гааль прочитает отрывки из романа в Варнийском культурном центре в "
                    "Кессвике.</p>",
                ),
            ],
        },
    },
    {
        "slug": "pradno-back-room-library",
        "section": "culture",
        "authors": ["vera-halm", "timur-oskol"],
        "days_ago": 27,
        "updated_hours_after": None,
        "tags": {"en": ["books", "censorship", "regions"], "ru": ["книги", "цензура", "регионы"]},
        "status": "live",
        "lead_photo": {
            "colour": (109, 76, 65),
            "photographer": 1,
            "en": {
                "alt": (
                    "Shelves of books wrapped in brown paper covers in a small room with a single "
                    "window."
                ),
                "caption": (
                    "Part of the lending library in Pradno. Books from the ministry’s list are "
                    "wrapped in plain paper."
                ),
            },
            "ru": {
                "alt": (
                    "Полки с книгами в обёртках из коричневой бумаги в маленькой комнате с одним "
                    "окном."
                ),
                "caption": (
                    "Часть библиотеки в Прадно. Книги из министерского списка обёрнуты простой "
                    "бумагой."
                ),
            },
        },
        "en": {
            "headline": "The back room in Pradno where banned books are still lent out",
            "standfirst": (
                "When the regional library removed hundreds of titles from its shelves, a retired "
                "teacher began collecting them. Two years later, her lending library holds 1,400 "
                "books and has a waiting list."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>The library has no sign. It occupies the back room of a flat on the "
                    "second floor of a five-storey building in Pradno, a town of 40,000 people in "
                    "the north of Varnia. Its keeper, a retired literature teacher who asked us "
                    "to call her Agata, opens it on Tuesday and Saturday afternoons to people she "
                    "knows, or to people who come with someone she knows. Most of the 1,400 books "
                    "on its shelves were removed from public libraries in the region over the "
                    "past two years.</p>",
                ),
                (
                    "paragraph",
                    "<p>The removals began after the Ministry of Culture issued a list of "
                    "“materials not recommended for public collections”, which now runs to more "
                    "than 600 titles. It includes novels by Varnian writers who have left the "
                    "country, history books about the border wars, several translated works of "
                    "psychology and, for reasons nobody has been able to explain, a popular guide "
                    "to mushroom picking. Librarians in Pradno were told to take the books off "
                    "the shelves and hand them over for disposal. Some of them brought the books "
                    "to Agata instead.</p>",
                ),
                ("subhead", "“A card cannot be hacked”"),
                (
                    "paragraph",
                    "<p>Agata keeps no computer records. Each book has a handwritten card in a "
                    "wooden catalogue box, and each loan is recorded in a school exercise book by "
                    "first name only. Books from the ministry’s list are wrapped in plain brown "
                    "paper, with the title written on the spine in pencil. She has about 180 "
                    "regular readers, including, she says, two local officials and the wife of a "
                    "police officer.</p>",
                ),
                (
                    "image",
                    {
                        "colour": (176, 160, 130),
                        "photographer": 1,
                        "alt": (
                            "A handwritten card catalogue in a wooden box, with the cards filled "
                            "in in blue ink."
                        ),
                        "caption": (
                            "The library’s catalogue exists only on paper. “A card cannot be "
                            "hacked,” its keeper says."
                        ),
                    },
                ),
                (
                    "quote",
                    {
                        "text": (
                            "I spent thirty-six years teaching children that books are for "
                            "reading. I am not going to start teaching them something else at my "
                            "age."
                        ),
                        "attribution": "Agata, keeper of the lending library in Pradno",
                    },
                ),
                (
                    "paragraph",
                    "<p>Agata knows that what she does may be risky, although owning the books is "
                    "not illegal and no law forbids lending them to friends. She has thought "
                    "about what she would say if someone came to ask questions. “I would offer "
                    "them a cup of tea and a book,” she said. “Most people who come here angry "
                    "leave with a novel.” The most requested title, she told us, is the "
                    "journalist Stefan Orr’s memoir about the closure of his newspaper, of which "
                    "she has three copies that arrived by post from Kessvik.</p>",
                ),
                ("subhead", "Why people come"),
                (
                    "paragraph",
                    "<p>Not all of Agata’s readers come for forbidden books. Many come because "
                    "the regional library has cut its opening hours and closed two branches, and "
                    "because she is a good judge of what a person will enjoy. Children come for "
                    "adventure stories; pensioners come for the conversation. “A library is not a "
                    "building,” she said as we left. “It is the habit of lending things to people "
                    "and trusting them to bring them back.”</p>",
                ),
            ],
        },
        "ru": {
            "headline": "Задняя комната в Прадно, где до сих пор выдают запрещённые книги",
            "standfirst": (
                "Когда региональная библиотека убрала с полок сотни книг, учительница на пенсии "
                "начала их собирать. Через два года в её библиотеке 1400 книг и очередь из "
                "желающих."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>У библиотеки нет вывески. Она занимает заднюю комнату квартиры на втором "
                    "этаже пятиэтажки в Прадно — городе с населением 40 тысяч человек на севере "
                    "Варнии. Её хранительница, учительница литературы на пенсии, которая "
                    "попросила называть её Агатой, открывает библиотеку по вторникам и субботам "
                    "после обеда для тех, кого знает, или для тех, кто приходит с её знакомыми. "
                    "Большинство из 1400 книг на её полках за последние два года изъяли из "
                    "публичных библиотек региона.</p>",
                ),
                (
                    "paragraph",
                    "<p>Изъятия начались после того, как Министерство культуры выпустило список "
                    "«материалов, не рекомендованных для публичных фондов», — сейчас в нём больше "
                    "600 наименований. Туда попали романы уехавших из страны варнийских "
                    "писателей, исторические книги о пограничных войнах, несколько переводных "
                    "работ по психологии и — по причинам, которые никто так и не смог объяснить, "
                    "— популярный справочник грибника. Библиотекарям в Прадно велели снять книги "
                    "с полок и сдать на утилизацию. Некоторые вместо этого отнесли их Агате.</p>",
                ),
                ("subhead", "«Карточку не взломаешь»"),
                (
                    "paragraph",
                    "<p>Агата не ведёт никаких записей на компьютере. На каждую книгу у неё "
                    "заведена рукописная карточка в деревянном каталожном ящике, а каждая выдача "
                    "записывается в школьную тетрадь — только по именам. Книги из министерского "
                    "списка обёрнуты в простую коричневую бумагу, а название написано на корешке "
                    "карандашом. Постоянных читателей у неё около 180 — среди них, по её словам, "
                    "двое местных чиновников и жена полицейского.</p>",
                ),
                (
                    "image",
                    {
                        "colour": (176, 160, 130),
                        "photographer": 1,
                        "alt": (
                            "Рукописный карточный каталог в деревянном ящике, карточки заполнены "
                            "синими чернилами."
                        ),
                        "caption": (
                            "Каталог библиотеки существует только на бумаге. «Карточку не "
                            "взломаешь», — говорит её хранительница."
                        ),
                    },
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Тридцать шесть лет я учила детей, что книги нужны, чтобы их читать. "
                            "Не стану же я на старости лет учить их чему-то другому."
                        ),
                        "attribution": "Агата, хранительница библиотеки в Прадно",
                    },
                ),
                (
                    "paragraph",
                    "<p>Агата понимает, что рискует, хотя хранить эти книги не запрещено и "
                    "никакой закон не запрещает давать их почитать друзьям. Она думала о том, что "
                    "скажет, если к ней придут с вопросами. «Предложу чаю и книгу, — говорит она. "
                    "— Большинство тех, кто приходит сюда сердитым, уходят с романом». Самая "
                    "востребованная книга, по её словам, — мемуары журналиста Стефана Орра о "
                    "закрытии его газеты: у неё три экземпляра, которые пришли по почте из "
                    "Кессвика.</p>",
                ),
                ("subhead", "Зачем сюда приходят"),
                (
                    "paragraph",
                    "<p>Не все читатели Агаты приходят за запрещёнными книгами. Многие приходят "
                    "потому, что региональная библиотека сократила часы работы и закрыла два "
                    "филиала, а ещё потому, что Агата хорошо понимает, что кому понравится. Дети "
                    "приходят за приключенческими книжками, пенсионеры — за разговором. "
                    "«Библиотека — это не здание, — сказала она на прощание. — Это привычка "
                    "давать людям вещи и верить, что они их вернут».</p>",
                ),
            ],
        },
    },
    {
        "slug": "sela-choir-kessvik",
        "section": "culture",
        "authors": ["vera-halm"],
        "days_ago": 35,
        "updated_hours_after": None,
        "tags": {"en": ["exile", "music"], "ru": ["эмиграция", "музыка"]},
        "status": "live",
        "lead_photo": {
            "colour": (70, 90, 120),
            "photographer": 4,
            "en": {
                "alt": (
                    "A choir of about thirty people of different ages singing in a hall with "
                    "wooden beams."
                ),
                "caption": "The Sela Choir rehearsing in a former harbour chapel in Kessvik.",
            },
            "ru": {
                "alt": (
                    "Хор из трёх десятков человек разного возраста поёт в зале с деревянными "
                    "балками."
                ),
                "caption": "Хор «Села» на репетиции в бывшей портовой часовне в Кессвике.",
            },
        },
        "en": {
            "headline": (
                "Singing the river from a thousand kilometres away: the Sela Choir of Kessvik"
            ),
            "standfirst": (
                "Every Sunday evening, thirty Varnians meet in a former harbour chapel to sing the "
                "songs of home. For many of them, it is the only place where they do not feel like "
                "visitors."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>The Sela Choir began three winters ago with a message in a chat group for "
                    "Varnians in Kessvik: “Does anybody want to sing?” Nadia Ferenc, who had led "
                    "a school choir in Ostrel for twenty years before leaving the country, "
                    "expected five or six replies. Forty people turned up to the first rehearsal, "
                    "in a borrowed classroom. Today the choir has thirty-two regular members, a "
                    "repertoire of about sixty songs and a rehearsal space in a former harbour "
                    "chapel that the city rents to it for a token fee.</p>",
                ),
                (
                    "paragraph",
                    "<p>The members range in age from seventeen to seventy-eight. There is a "
                    "programmer, two nurses, a former deputy head of a regional hospital, several "
                    "students and a retired ship’s engineer from Dolna Sela who knows the words "
                    "to songs that nobody else remembers. Most had never sung in a choir before. "
                    "Ferenc does not hold auditions. “If you can hear that you are singing out of "
                    "tune, you can learn,” she says. “If you cannot hear it, you can stand next "
                    "to someone who can.”</p>",
                ),
                (
                    "image",
                    {
                        "colour": (180, 150, 110),
                        "photographer": 4,
                        "alt": (
                            "A woman conducting with both hands raised, seen from behind, with the "
                            "singers facing her."
                        ),
                        "caption": (
                            "The conductor Nadia Ferenc, who led a school choir in Ostrel for "
                            "twenty years before she left."
                        ),
                    },
                ),
                ("subhead", "Songs from the lower river"),
                (
                    "paragraph",
                    "<p>Much of the repertoire comes from the lower Sela: the work songs of "
                    "ferrymen and fishermen, wedding songs from the delta villages, lullabies. "
                    "Some songs were collected by members from their own grandparents; others "
                    "came from an archive of field recordings made by ethnographers decades ago. "
                    "Ferenc arranges them for four voices herself, late at night, after her day "
                    "job in a school kitchen.</p>",
                ),
                (
                    "embed",
                    {
                        "url": "https://example.org/video/sela-choir-ferry-song",
                        "title": "The Sela Choir sings “The Ferry Song”",
                        "source": "Video",
                        "description": (
                            "A song from the lower Sela, recorded at a rehearsal in Kessvik. 4 min."
                        ),
                    },
                ),
                (
                    "quote",
                    {
                        "text": (
                            "When we sing the ferry song, I can smell the river. For four minutes "
                            "I am not in Kessvik, and I am not anywhere else either. I am just "
                            "singing."
                        ),
                        "attribution": (
                            "Oleg Marr, retired ship’s engineer and the choir’s oldest member"
                        ),
                    },
                ),
                (
                    "paragraph",
                    "<p>The choir has performed in Kessvik’s cathedral and at a festival of "
                    "migrant music, and it raises money for a fund that pays lawyers for "
                    "political prisoners in Varnia. Not every member is political; some say they "
                    "joined precisely because it is the one place where nobody talks about the "
                    "news. Ferenc insists that both kinds of singer are welcome. “Sunday evening "
                    "is for singing,” she says. “The rest of the week is for everything else.”</p>",
                ),
                ("subhead", "How to join"),
                (
                    "paragraph",
                    "<p>The Sela Choir rehearses on Sunday evenings and welcomes new members of "
                    "any age and nationality; no experience and no knowledge of Varnian is "
                    "required. Details are on <a "
                    'href="https://example.org/culture/sela-choir">the choir’s page</a>. The next '
                    "concert will take place in the former harbour chapel at the start of the "
                    "winter season.</p>",
                ),
            ],
        },
        "ru": {
            "headline": "Петь о реке за тысячу километров: хор «Села» в Кессвике",
            "standfirst": (
                "Каждое воскресенье вечером тридцать варнийцев собираются в бывшей портовой "
                "часовне, чтобы петь песни родных мест. Для многих это единственное место, где они "
                "не чувствуют себя в гостях."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Хор «Села» начался три зимы назад с сообщения в чате варнийцев Кессвика: "
                    "«Кто-нибудь хочет петь?» Надя Ференц, которая двадцать лет руководила "
                    "школьным хором в Остреле, прежде чем уехать из страны, ждала пяти-шести "
                    "ответов. На первую репетицию в одолженном классе пришли сорок человек. "
                    "Сегодня в хоре тридцать два постоянных участника, репертуар из примерно "
                    "шестидесяти песен и репетиционный зал в бывшей портовой часовне, которую "
                    "город сдаёт хору за символическую плату.</p>",
                ),
                (
                    "paragraph",
                    "<p>Участникам от семнадцати до семидесяти восьми лет. Среди них программист, "
                    "две медсестры, бывший заместитель главврача региональной больницы, несколько "
                    "студентов и судовой механик на пенсии из Дольна-Селы, который знает слова "
                    "песен, которых больше никто не помнит. Большинство никогда раньше не пели в "
                    "хоре. Прослушиваний Ференц не устраивает. «Если вы слышите, что фальшивите, "
                    "вы можете научиться, — говорит она. — А если не слышите, можно встать рядом "
                    "с тем, кто слышит».</p>",
                ),
                (
                    "image",
                    {
                        "colour": (180, 150, 110),
                        "photographer": 4,
                        "alt": (
                            "Женщина дирижирует, подняв обе руки; она стоит спиной к камере, певцы "
                            "смотрят на неё."
                        ),
                        "caption": (
                            "Дирижёр Надя Ференц двадцать лет руководила школьным хором в Остреле, "
                            "прежде чем уехать."
                        ),
                    },
                ),
                ("subhead", "Песни нижней Селы"),
                (
                    "paragraph",
                    "<p>Большая часть репертуара — с нижнего течения Селы: рабочие песни "
                    "паромщиков и рыбаков, свадебные песни сёл дельты, колыбельные. Некоторые "
                    "песни участники хора записали от своих бабушек и дедушек, другие нашлись в "
                    "архиве полевых записей, сделанных этнографами десятилетия назад. Ференц сама "
                    "делает четырёхголосные аранжировки — поздно ночью, после основной работы на "
                    "школьной кухне.</p>",
                ),
                (
                    "embed",
                    {
                        "url": "https://example.org/video/sela-choir-ferry-song",
                        "title": "Хор «Села» поёт «Паромную песню»",
                        "source": "Видео",
                        "description": (
                            "Песня с нижней Селы, записанная на репетиции в Кессвике. 4 мин."
                        ),
                    },
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Когда мы поём паромную песню, я чувствую запах реки. На четыре минуты "
                            "я не в Кессвике — и вообще нигде. Я просто пою."
                        ),
                        "attribution": (
                            "Олег Марр, судовой механик на пенсии, старейший участник хора"
                        ),
                    },
                ),
                (
                    "paragraph",
                    "<p>Хор выступал в кафедральном соборе Кессвика и на фестивале музыки "
                    "мигрантов и собирает деньги для фонда, который оплачивает адвокатов "
                    "политзаключённым в Варнии. Не все участники интересуются политикой; "
                    "некоторые говорят, что пришли как раз потому, что это единственное место, "
                    "где никто не обсуждает новости. Ференц настаивает, что здесь рады и тем, и "
                    "другим. «Воскресный вечер — для пения, — говорит она. — Остальная неделя — "
                    "для всего остального».</p>",
                ),
                ("subhead", "Как присоединиться"),
                (
                    "paragraph",
                    "<p>Хор «Села» репетирует по воскресеньям вечером и рад новым участникам "
                    "любого возраста и любой национальности; ни опыт, ни знание варнийского языка "
                    "не обязательны. Подробности — на <a "
                    'href="https://example.org/culture/sela-choir">странице хора</a>. Следующий '
                    "концерт пройдёт в бывшей портовой часовне в начале зимнего сезона.</p>",
                ),
            ],
        },
    },
    {
        "slug": "the-river-at-eye-level",
        "section": "culture",
        "authors": ["vera-halm", "dara-velesk"],
        "days_ago": 0,
        "days_ahead": 2,
        "updated_hours_after": None,
        "tags": {"en": ["Sela river", "exile"], "ru": ["река Села", "эмиграция"]},
        "status": "scheduled",
        "lead_photo": {
            "colour": (84, 110, 122),
            "photographer": 2,
            "en": {
                "alt": (
                    "A black-and-white photograph of a ferry crossing a misty river, hanging on a "
                    "white gallery wall."
                ),
                "caption": (
                    "“Morning ferry, Dolna Sela”, one of 48 photographs in “The River at Eye "
                    "Level”."
                ),
            },
            "ru": {
                "alt": (
                    "Чёрно-белая фотография парома, пересекающего реку в тумане, на белой стене "
                    "галереи."
                ),
                "caption": (
                    "«Утренний паром, Дольна-Села» — одна из 48 фотографий выставки «Река на "
                    "уровне глаз»."
                ),
            },
        },
        "en": {
            "headline": "“The River at Eye Level”: Sabina Orlek’s twenty years on the Sela",
            "standfirst": (
                "An exhibition opening in Kessvik gathers photographs of the Sela taken over two "
                "decades, from the delta to the dams. It is a portrait of a river and of the "
                "people who cannot stop looking at it."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Sabina Orlek first photographed the Sela at sixteen, with a borrowed "
                    "camera, from the deck of the ferry at Dolna Sela. For the next twenty years "
                    "she kept going back: to the fishing villages of the delta, the grain quays "
                    "of Ostrel, the dam at Kaldun and the chemical works at Lisovar. “The River "
                    "at Eye Level”, which opens at the Harbour Gallery in Kessvik this week, "
                    "brings together 48 of those photographs, most of them never exhibited "
                    "before.</p>",
                ),
                (
                    "paragraph",
                    "<p>The title describes Orlek’s method. She almost never photographs the "
                    "river from above, from bridges or from the air. Her camera sits where a "
                    "swimmer’s eyes would be, or a fisherman’s, or those of a child on the bank. "
                    "The result is a river that feels close, heavy and alive: reeds in the "
                    "foreground, water filling half the frame, the industrial skyline of Ostrel "
                    "reduced to a grey line in the distance.</p>",
                ),
                ("subhead", "A river that changes"),
                (
                    "paragraph",
                    "<p>Seen together, the photographs also record change. Early pictures of the "
                    "stretch at Lisovar show boys swimming below the works; in later ones, the "
                    "same bank is fenced off and covered in warning signs. A series from the "
                    "Ostrel port shows the cranes multiplying while the crowd of dockers thins. "
                    "Orlek says she did not set out to document anything. “I photographed what "
                    "was in front of me,” she says. “The river did the rest.”</p>",
                ),
                (
                    "image",
                    {
                        "colour": (200, 200, 190),
                        "photographer": 2,
                        "alt": (
                            "Visitors standing in front of large photographs of river landscapes "
                            "in a bright gallery."
                        ),
                        "caption": (
                            "The exhibition fills two rooms of the Harbour Gallery in Kessvik."
                        ),
                    },
                ),
                (
                    "quote",
                    {
                        "text": (
                            "You cannot photograph the same river twice. That is why I kept going "
                            "back."
                        ),
                        "attribution": "Sabina Orlek, photographer",
                    },
                ),
                (
                    "paragraph",
                    "<p>Orlek left Varnia two years ago, after police questioned her about "
                    "photographs she had taken at a protest against the expansion of the Kaldun "
                    "dam. She has not been back to the Sela since. The last photograph in the "
                    "exhibition, taken from the ferry on the morning she left, shows the delta in "
                    "fog. It is the only image in the show without people in it and, for that "
                    "reason, the hardest to look at.</p>",
                ),
                ("subhead", "Practical information"),
                (
                    "paragraph",
                    "<p>“The River at Eye Level” runs at the Harbour Gallery in Kessvik for six "
                    "weeks. Admission is free; donations go to the Varnian Media Defence Fund. "
                    "Prints of twelve of the photographs can be ordered through <a "
                    'href="https://example.org/culture/river-at-eye-level">the exhibition’s '
                    "website</a>, which also shows the full series for those who cannot travel to "
                    "Kessvik. Disclosure: Sabina Orlek has contributed photographs to The "
                    "Lantern.</p>",
                ),
            ],
        },
        "ru": {
            "headline": "«Река на уровне глаз»: двадцать лет Сабины Орлек на Селе",
            "standfirst": (
                "Выставка, которая открывается в Кессвике, объединяет фотографии Селы, сделанные "
                "за два десятилетия, — от дельты до плотин. Это портрет реки и людей, которые не "
                "могут перестать на неё смотреть."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Впервые Сабина Орлек сфотографировала Селу в шестнадцать лет — одолженным "
                    "фотоаппаратом, с палубы парома в Дольна-Селе. Следующие двадцать лет она "
                    "возвращалась снова и снова: в рыбацкие сёла дельты, к зерновым причалам "
                    "Остреля, к плотине в Калдуне и к химическому комбинату в Лисоваре. Выставка "
                    "«Река на уровне глаз», которая на этой неделе открывается в Портовой галерее "
                    "Кессвика, объединяет 48 этих снимков — большинство из них никогда раньше не "
                    "выставлялись.</p>",
                ),
                (
                    "paragraph",
                    "<p>Название описывает метод Орлек. Она почти никогда не снимает реку сверху "
                    "— с мостов или с воздуха. Её камера находится там, где были бы глаза пловца, "
                    "рыбака или ребёнка на берегу. Получается река близкая, тяжёлая и живая: "
                    "тростник на переднем плане, вода на половину кадра, промышленный силуэт "
                    "Остреля — серая полоска вдали.</p>",
                ),
                ("subhead", "Река, которая меняется"),
                (
                    "paragraph",
                    "<p>Вместе эти снимки фиксируют и перемены. На ранних фотографиях у Лисовара "
                    "мальчишки купаются ниже комбината; на поздних тот же берег огорожен и увешан "
                    "предупреждающими табличками. Серия из Острельского порта показывает, как "
                    "кранов становится всё больше, а толпа докеров редеет. Орлек говорит, что не "
                    "собиралась ничего документировать. «Я снимала то, что было передо мной, — "
                    "говорит она. — Остальное сделала река».</p>",
                ),
                (
                    "image",
                    {
                        "colour": (200, 200, 190),
                        "photographer": 2,
                        "alt": (
                            "Посетители стоят перед большими фотографиями речных пейзажей в "
                            "светлом зале галереи."
                        ),
                        "caption": "Выставка занимает два зала Портовой галереи в Кессвике.",
                    },
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Одну и ту же реку нельзя сфотографировать дважды. Поэтому я всё время "
                            "возвращалась."
                        ),
                        "attribution": "Сабина Орлек, фотограф",
                    },
                ),
                (
                    "paragraph",
                    "<p>Орлек уехала из Варнии два года назад — после того как полиция допросила "
                    "её о снимках, сделанных на протесте против расширения Калдунской плотины. С "
                    "тех пор она ни разу не была на Селе. Последняя фотография выставки, снятая с "
                    "парома утром в день отъезда, показывает дельту в тумане. Это единственный "
                    "снимок на выставке без людей — и поэтому на него тяжелее всего смотреть.</p>",
                ),
                ("subhead", "Практическая информация"),
                (
                    "paragraph",
                    "<p>Выставка «Река на уровне глаз» продлится в Портовой галерее Кессвика "
                    "шесть недель. Вход свободный, пожертвования пойдут в Варнийский фонд защиты "
                    "СМИ. Отпечатки двенадцати фотографий можно заказать на <a "
                    'href="https://example.org/culture/river-at-eye-level">сайте выставки</a>, '
                    "где вся серия доступна и тем, кто не может приехать в Кессвик. Раскрытие "
                    "информации: Сабина Орлек сотрудничала с «Фонарём» как фотограф.</p>",
                ),
            ],
        },
    },
    {
        "slug": "sela-delta-songs-archive",
        "section": "culture",
        "authors": ["dara-velesk"],
        "days_ago": 52,
        "updated_hours_after": None,
        "tags": {"en": ["music", "regions"], "ru": ["музыка", "регионы"]},
        "status": "live",
        "lead_photo": {
            "colour": (140, 120, 90),
            "photographer": 2,
            "en": {
                "alt": (
                    "An elderly woman in a headscarf singing into a small microphone held by a "
                    "younger woman in a kitchen."
                ),
                "caption": "Recording a wedding song in the village of Teren.",
            },
            "ru": {
                "alt": (
                    "Пожилая женщина в платке поёт в маленький микрофон, который держит молодая "
                    "женщина, — на кухне."
                ),
                "caption": "Запись свадебной песни в селе Терен.",
            },
        },
        "en": {
            "headline": (
                "Racing the silence: the ethnographer recording the last singers of the Sela delta"
            ),
            "standfirst": (
                "In the villages of the lower Sela, songs that were sung for centuries now survive "
                "in the memories of a few dozen people. Mila Oren is trying to record all of them "
                "before it is too late."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Mila Oren carries a small digital recorder, a notebook and a bag of "
                    "biscuits, which she says is the most important piece of equipment. For the "
                    "past three years the ethnographer, who used to work at the Institute of Folk "
                    "Culture in Ostrel, has been driving through the villages of the Sela delta "
                    "in search of people who remember the old songs. So far she has recorded 212 "
                    "singers and more than 900 songs, many of which have never been written "
                    "down.</p>",
                ),
                (
                    "paragraph",
                    "<p>Oren lost her job at the institute when its folklore department was "
                    "merged into a department of “national heritage” and given new priorities. "
                    "The project now runs on small donations and on Oren’s own savings. The "
                    "recordings are stored in three places, two of them outside Varnia, and are "
                    "gradually being published in <a "
                    'href="https://example.org/culture/delta-songs">an open online archive</a> '
                    "with transcriptions and notes.</p>",
                ),
                ("subhead", "A song for every task"),
                (
                    "paragraph",
                    "<p>The delta had songs for almost every task: for mending nets, for hauling "
                    "ferries across against the current, for the first day of the fishing season, "
                    "for laying out the dead. Many are in a local dialect that younger villagers "
                    "only partly understand. Oren says the most fragile are the songs women sang "
                    "while working alone, because nobody else ever heard them. “Sometimes a woman "
                    "sings me a song and then says, ‘I have never sung that for anyone,’” she "
                    "says. “Then I know why I am doing this.”</p>",
                ),
                (
                    "embed",
                    {
                        "url": "https://example.org/audio/delta-songs",
                        "title": "Three songs from the delta archive",
                        "source": "Audio",
                        "description": (
                            "Field recordings from Teren and other villages of the lower Sela, "
                            "with transcriptions. 11 min."
                        ),
                    },
                ),
                (
                    "quote",
                    {
                        "text": (
                            "A song is a map. It tells you where the shallows are, who married "
                            "whom, and in which year the river took the church."
                        ),
                        "attribution": "Mila Oren, ethnographer",
                    },
                ),
                (
                    "paragraph",
                    "<p>The villages themselves are emptying. Two of the delta’s village schools "
                    "have closed in the past decade, and the youngest singer Oren has recorded is "
                    "sixty-one. She hopes the archive will be used not only by researchers but by "
                    "people like the members of the Sela Choir in Kessvik, who have already "
                    "learned several of the songs. “The point is not to put them in a museum,” "
                    "she says. “The point is that somebody sings them again.”</p>",
                ),
                ("subhead", "How to help the archive"),
                (
                    "paragraph",
                    "<p>Oren is looking for recordings that families may have made themselves, on "
                    "cassettes or old phones, of grandparents singing. She also needs volunteers "
                    "who speak the delta dialect to help with transcriptions. Anyone who wants to "
                    "help can contact the project through its website. Donations to the archive "
                    "can be made through the same page.</p>",
                ),
            ],
        },
        "ru": {
            "headline": "Наперегонки с тишиной: этнограф записывает последних певцов дельты Селы",
            "standfirst": (
                "В сёлах нижней Селы песни, которые пели веками, теперь живут лишь в памяти "
                "нескольких десятков человек. Мила Орен пытается записать их все, пока не поздно."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>Мила Орен возит с собой маленький цифровой диктофон, блокнот и пакет "
                    "печенья — по её словам, это самое важное снаряжение. Последние три года "
                    "этнограф, которая раньше работала в Институте народной культуры в Остреле, "
                    "ездит по сёлам дельты Селы в поисках людей, которые помнят старые песни. "
                    "Пока она записала 212 исполнителей и больше 900 песен, многие из которых "
                    "никогда не были записаны на бумаге.</p>",
                ),
                (
                    "paragraph",
                    "<p>Орен потеряла работу в институте, когда отдел фольклора влили в отдел "
                    "«национального наследия» и поставили перед ним новые задачи. Теперь проект "
                    "существует на небольшие пожертвования и личные сбережения Орен. Записи "
                    "хранятся в трёх местах, два из которых — за пределами Варнии, и постепенно "
                    'публикуются в <a href="https://example.org/culture/delta-songs">открытом '
                    "онлайн-архиве</a> с расшифровками и комментариями.</p>",
                ),
                ("subhead", "Песня на любое дело"),
                (
                    "paragraph",
                    "<p>В дельте были песни почти на любое дело: чтобы чинить сети, тянуть паром "
                    "против течения, встречать первый день путины, провожать покойников. Многие "
                    "из них — на местном говоре, который молодые жители сёл понимают лишь "
                    "отчасти. Орен говорит, что самые хрупкие — песни, которые женщины пели в "
                    "одиночку за работой, потому что их больше никто никогда не слышал. «Бывает, "
                    "женщина споёт мне песню и говорит: „Я её никому никогда не пела“, — "
                    "рассказывает она. — Тогда я понимаю, зачем я это делаю».</p>",
                ),
                (
                    "embed",
                    {
                        "url": "https://example.org/audio/delta-songs",
                        "title": "Три песни из архива дельты",
                        "source": "Аудио",
                        "description": (
                            "Полевые записи из Терена и других сёл нижней Селы с расшифровками. 11 "
                            "мин."
                        ),
                    },
                ),
                (
                    "quote",
                    {
                        "text": (
                            "Песня — это карта. Она расскажет, где мели, кто на ком женился и в "
                            "каком году река забрала церковь."
                        ),
                        "attribution": "Мила Орен, этнограф",
                    },
                ),
                (
                    "paragraph",
                    "<p>Сами сёла пустеют. За последние десять лет в дельте закрылись две "
                    "сельские школы, а самому молодому исполнителю, которого записала Орен, "
                    "шестьдесят один год. Она надеется, что архивом будут пользоваться не только "
                    "исследователи, но и такие люди, как участники хора «Села» в Кессвике, "
                    "которые уже разучили несколько этих песен. «Смысл не в том, чтобы положить "
                    "их в музей, — говорит она. — Смысл в том, чтобы их снова кто-то пел».</p>",
                ),
                ("subhead", "Как помочь архиву"),
                (
                    "paragraph",
                    "<p>Орен ищет записи, которые семьи, возможно, делали сами — на кассеты или "
                    "старые телефоны, — где поют бабушки и дедушки. Ей также нужны волонтёры, "
                    "владеющие говором дельты, чтобы помогать с расшифровками. Связаться с "
                    "проектом может любой, кто хочет помочь, через его сайт. Там же можно сделать "
                    "пожертвование в пользу архива.</p>",
                ),
            ],
        },
    },
]

# Reader revenue: the monthly goal, the donation forms and the appeals, in both languages.
CAMPAIGN = {"name": "Keep The Lantern lit", "goal_minor": 1_000_000, "currency": "usd"}

# Each edition orders the ways to pay for its readers. Only those configured are shown (a card
# through localstripe in the demo; Monero and Bitcoin with MONERO_WALLET_RPC_URL and
# BITCOIN_ACCOUNT_KEY), and the Russian line only when all three are.
METHODS_BY_EDITION = {
    "en": {"methods": ["card", "monero", "bitcoin"]},
    "ru": {
        "methods": ["monero", "bitcoin", "card"],
        "why": "Карты российских банков за рубежом не работают, а Monero и Bitcoin — работают.",
    },
}

DONATION_FORMS = [
    {
        "currency": "usd",
        "is_default": True,
        "amounts_once": "10,25,50,100",
        "amounts_monthly": "5,10,20,50",
        "amounts_annual": "50,100,200,500",
        "minimum_minor": 200,
        "methods_by_edition": METHODS_BY_EDITION,
    },
    {
        "currency": "eur",
        "is_default": False,
        "amounts_once": "10,25,50,100",
        "amounts_monthly": "5,10,20,50",
        "amounts_annual": "50,100,200,500",
        "minimum_minor": 200,
        "methods_by_edition": METHODS_BY_EDITION,
    },
]

APPEALS = [
    {
        "name": "Ad-free modal",
        "kind": "modal",
        "snooze_days": 7,
        "variants": [
            {
                "label": "A",
                "en": {
                    "headline": "Enjoying ad-free journalism?",
                    "body": "<p>We dropped all advertising in March 2024, the week our site was "
                    "blocked in Varnia. Our reporting now costs $10,000 a month, and our readers "
                    "pay for it.</p>",
                    "button_label": "Support us",
                },
                "ru": {
                    "headline": "Нравится журналистика без рекламы?",
                    "body": "<p>Мы отказались от рекламы в марте 2024 года — в ту неделю, когда "
                    "наш сайт заблокировали в Варнии. Наша работа стоит $10 000 в месяц, и "
                    "платят за неё читатели.</p>",
                    "button_label": "Поддержать",
                },
            },
            {
                "label": "B",
                "en": {
                    "headline": "No ads. No owners. Just readers.",
                    "body": "<p>The Lantern answers to no one but the people who read it. "
                    "Two dollars a month keeps one more story coming.</p>",
                    "button_label": "Give $2 a month",
                },
                "ru": {
                    "headline": "Без рекламы. Без хозяев. Только читатели.",
                    "body": "<p>«Фонарь» отвечает только перед теми, кто его читает. "
                    "Два доллара в месяц — это ещё одна история.</p>",
                    "button_label": "Дать $2 в месяц",
                },
            },
        ],
    },
    {
        "name": "Letter from the editor",
        "kind": "end_of_article",
        "snooze_days": 3,
        "variants": [
            {
                "label": "A",
                "en": {
                    "headline": "Dear reader,",
                    "body": "<p>You have just read a story that no one inside Varnia may print. "
                    "Eleven of us write it from Kessvik, and a few thousand readers pay for it: "
                    "no advertisers, no owner, no grants that come with conditions.</p>"
                    "<p>If this story was worth something to you, help us write the next one. "
                    "Monthly gifts let us plan; any amount helps.</p>"
                    "<p>Anna Kovar, for the newsroom</p>",
                    "button_label": "Support The Lantern",
                },
                "ru": {
                    "headline": "Дорогой читатель,",
                    "body": "<p>Вы только что прочитали историю, которую в Варнии не может "
                    "напечатать никто. Нас одиннадцать человек, мы пишем из Кессвика, и нашу "
                    "работу оплачивают несколько тысяч читателей: без рекламодателей, без "
                    "владельца, без грантов с условиями.</p>"
                    "<p>Если эта история была для вас важна, помогите нам написать следующую. "
                    "Ежемесячная поддержка позволяет нам планировать; важна любая сумма.</p>"
                    "<p>Анна Ковар, от имени редакции</p>",
                    "button_label": "Поддержать «Фонарь»",
                },
            }
        ],
    },
    {
        "name": "Goal banner (off by default)",
        "kind": "banner",
        "snooze_days": 1,
        "live": False,
        "variants": [
            {
                "label": "A",
                "en": {
                    "headline": "The Lantern is funded by its readers",
                    "body": "<p>Help us reach this month's goal.</p>",
                    "button_label": "Support us",
                },
                "ru": {
                    "headline": "«Фонарь» существует на деньги читателей",
                    "body": "<p>Помогите нам собрать нужную сумму в этом месяце.</p>",
                    "button_label": "Поддержать",
                },
            }
        ],
    },
]
