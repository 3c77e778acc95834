/* vocab.c -- the generator's embedded vocabularies, written for this project.
 *
 * Everything here is invented or common public knowledge: frequent given and family names of
 * many cultures, typical street names, cities with postcode shapes, phone number shapes
 * (fictional ranges where a country has them: US/CA 555-01xx, UK Ofcom drama numbers, AU
 * 0491 570), free-mail domains, marketplaces, and a product catalogue whose 6-digit HS 2022
 * codes match the descriptions. Country weights follow the shape of cross-border e-commerce
 * flows (DOMAIN.md section 5: most items from CN, then HK, US, GB, DE, TR, KR, ...), not any
 * one statistic. No entry names a real person on purpose; clean parcels are checked against
 * the loaded watchlists at run time anyway (rules.c). */
#include <string.h>

#include "internal.h"

/* The tables are laid out by hand (one idea per line), not by clang-format. */
/* clang-format off */

/* ============ Names by culture ============ */

static const char *const s_anglo_first[] = {
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
    "Sarah", "Christopher", "Karen", "Daniel", "Emily", "Matthew", "Olivia", "Andrew", "Hannah",
    "Ryan", "Megan", "Brandon", "Ashley", "Oliver", "Charlotte", "Harry", "Amelia", "George",
    "Isla", "Jack", "Sophie", "Liam", "Chloe", "Noah", "Grace", "Ethan", "Lily", NULL
};
static const char *const s_anglo_last[] = {
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Moore", "Jackson", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker",
    "Hall", "Young", "Allen", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Carter",
    "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards",
    "Collins", "Stewart", "Murphy", "Cook", "Rogers", "Morgan", "Bell", "Murray", "O'Brien",
    "Kelly", "Walsh", "Byrne", "Hughes", "Wood", "Foster", "Bennett", NULL
};
static const char *const s_german_first[] = {
    "Lukas", "Anna", "Jonas", "Lea", "Felix", "Hannah", "Leon", "Lena", "Maximilian", "Sophie",
    "Paul", "Marie", "Jan", "Laura", "Tobias", "Julia", "Stefan", "Katharina", "Jürgen",
    "Ursula", "Wolfgang", "Sabine", "Florian", "Anja", "Matthias", "Birgit", NULL
};
static const char *const s_german_last[] = {
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz",
    "Zimmermann", "Braun", "Krüger", "Hartmann", "Lange", "Werner", "Krause", "Lehmann",
    "Köhler", "Huber", "Gruber", "Steiner", "Bauer", "Vogel", "Frank", NULL
};
static const char *const s_french_first[] = {
    "Jean", "Marie", "Pierre", "Camille", "Louis", "Chloé", "Lucas", "Léa", "Hugo", "Manon",
    "Julien", "Inès", "Nicolas", "Élodie", "Antoine", "Céline", "François", "Amélie",
    "Mathieu", "Claire", "Théo", "Margaux", NULL
};
static const char *const s_french_last[] = {
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Bertrand", "Roux", "Vincent",
    "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "Fontaine", "Chevalier", "Gauthier", NULL
};
static const char *const s_spanish_first[] = {
    "José", "María", "Antonio", "Carmen", "Manuel", "Lucía", "Francisco", "Ana", "David",
    "Laura", "Javier", "Marta", "Alejandro", "Sofía", "Carlos", "Isabel", "Diego", "Valentina",
    "Pablo", "Elena", "Miguel", "Paula", "Sergio", "Nuria", NULL
};
static const char *const s_spanish_last[] = {
    "García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez",
    "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Álvarez", "Romero",
    "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Castillo", "Ortega", "Delgado",
    "Morales", "Flores", "Reyes", "Cruz", "Iglesias", NULL
};
static const char *const s_italian_first[] = {
    "Giuseppe", "Giulia", "Marco", "Francesca", "Alessandro", "Chiara", "Luca", "Sara",
    "Andrea", "Martina", "Matteo", "Elena", "Lorenzo", "Alessia", "Davide", "Federica", "Paolo",
    "Valentina", "Riccardo", "Silvia", NULL
};
static const char *const s_italian_last[] = {
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino",
    "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo",
    "Lombardi", "Moretti", "Barbieri", "Fontana", NULL
};
static const char *const s_dutch_first[] = {
    "Daan", "Emma", "Sem", "Julia", "Lucas", "Sophie", "Bram", "Tess", "Thijs", "Anouk",
    "Ruben", "Fleur", "Jeroen", "Femke", "Pieter", "Lotte", "Maarten", "Ilse", NULL
};
static const char *const s_dutch_last[] = {
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "Wouters", "Maes", NULL
};
static const char *const s_polish_first[] = {
    "Jakub", "Zuzanna", "Kacper", "Julia", "Szymon", "Maja", "Jan", "Zofia", "Filip", "Hanna",
    "Michał", "Agnieszka", "Piotr", "Katarzyna", "Tomasz", "Małgorzata", "Paweł",
    "Magdalena", NULL
};
static const char *const s_polish_last[] = {
    "Nowak", "Wójcik", "Kowalczyk", "Woźniak", "Mazur", "Krawczyk", "Kaczmarek", "Zając",
    "Król", "Wieczorek", "Wróbel", "Stępień", "Dudek", "Pawlak", "Walczak", "Sikora", "Baran",
    "Michalak", "Szewczyk", "Pietrzak", NULL
};
static const char *const s_chinese_first[] = {
    "Wei", "Fang", "Jing", "Na", "Min", "Xiuying", "Yan", "Lei", "Jun", "Hui", "Ming", "Xin",
    "Hao", "Yu", "Jie", "Ling", "Tao", "Qiang", "Xiaoming", "Zhiwei", "Jiahui", "Yuxuan",
    "Zihan", "Haoran", "Mei", "Shu", "Yiting", "Kai", NULL
};
static const char *const s_chinese_last[] = {
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun",
    "Zhu", "Hu", "Guo", "He", "Lin", "Gao", "Luo", "Zheng", "Liang", "Xie", "Tang", "Chan",
    "Wong", "Cheung", "Lau", "Leung", "Tsang", "Yip", NULL
};
static const char *const s_japanese_first[] = {
    "Haruto", "Yui", "Sota", "Hina", "Yuto", "Aoi", "Riku", "Sakura", "Takumi", "Mei", "Kenji",
    "Yuki", "Hiroshi", "Akiko", "Daiki", "Naoko", "Shota", "Emi", NULL
};
static const char *const s_japanese_last[] = {
    "Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
    "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto", "Inoue",
    "Kimura", "Hayashi", "Shimizu", "Mori", NULL
};
static const char *const s_korean_first[] = {
    "Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Do-yun", "Ji-woo", "Seo-jun", "Soo-ah",
    "Hyun-woo", "Ji-min", "Eun-ji", "Sung-min", "Ye-jin", "Tae-yang", NULL
};
static const char *const s_korean_last[] = {
    "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Shin",
    "Seo", "Kwon", "Hwang", "Oh", NULL
};
static const char *const s_vietnamese_first[] = {
    "Anh", "Linh", "Minh", "Trang", "Duc", "Huong", "Tuan", "Mai", "Quang", "Thao", "Hieu",
    "Ngoc", "Long", "Phuong", "Khanh", "Lan", NULL
};
static const char *const s_vietnamese_last[] = {
    "Nguyen", "Tran", "Le", "Pham", "Hoang", "Huynh", "Phan", "Vu", "Vo", "Dang", "Bui", "Do",
    "Ngo", "Duong", "Ly", NULL
};
static const char *const s_indian_first[] = {
    "Aarav", "Ananya", "Vihaan", "Diya", "Arjun", "Isha", "Rohan", "Priya", "Rahul", "Neha",
    "Amit", "Sneha", "Vikram", "Pooja", "Karan", "Anjali", "Sanjay", "Kavya", "Aditya", "Meera",
    NULL
};
static const char *const s_indian_last[] = {
    "Sharma", "Verma", "Gupta", "Patel", "Singh", "Kumar", "Reddy", "Nair", "Iyer", "Mehta",
    "Shah", "Joshi", "Rao", "Chopra", "Kapoor", "Malhotra", "Bose", "Das", "Pillai", "Agarwal",
    NULL
};
static const char *const s_arabic_first[] = {
    "Omar", "Fatima", "Youssef", "Layla", "Khalid", "Mariam", "Tariq", "Noor", "Karim", "Aisha",
    "Hamza", "Salma", "Rami", "Huda", "Bilal", "Yasmin", "Samir", "Rania", "Nadia", "Ziad", NULL
};
static const char *const s_arabic_last[] = {
    "Haddad", "Khoury", "Nasser", "Saleh", "Mansour", "Hamdan", "Aziz", "Rahman", "Farouk",
    "Qasim", "Darwish", "Sabbagh", "Awad", "Jaber", "Suleiman", "Hijazi", "Kanaan", "Tamimi",
    NULL
};
static const char *const s_turkish_first[] = {
    "Mehmet", "Ayşe", "Mustafa", "Fatma", "Ahmet", "Emine", "Ali", "Hatice", "Hüseyin", "Zeynep",
    "Emre", "Elif", "Burak", "Merve", "Can", "Selin", NULL
};
static const char *const s_turkish_last[] = {
    "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın",
    "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan",
    "Şimşek", NULL
};
static const char *const s_portuguese_first[] = {
    "João", "Maria", "Pedro", "Ana", "Lucas", "Beatriz", "Gabriel", "Juliana", "Rafael",
    "Fernanda", "Mateus", "Larissa", "Thiago", "Camila", "Gustavo", "Mariana", NULL
};
static const char *const s_portuguese_last[] = {
    "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima",
    "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes", "Soares",
    "Fernandes", "Vieira", "Barbosa", NULL
};
static const char *const s_nordic_first[] = {
    "Erik", "Astrid", "Lars", "Ingrid", "Anders", "Karin", "Johan", "Elsa", "Nils", "Maja",
    "Oskar", "Freja", "Magnus", "Sigrid", "Henrik", "Linnea", NULL
};
static const char *const s_nordic_last[] = {
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
    "Svensson", "Gustafsson", "Jensen", "Nielsen", "Hansen", "Pedersen", "Lindqvist", "Berg",
    "Lund", "Holm", NULL
};
static const char *const s_thai_first[] = {
    "Somchai", "Suda", "Niran", "Malee", "Anan", "Ploy", "Kittisak", "Siriporn", "Chaiwat",
    "Nattaya", NULL
};
static const char *const s_thai_last[] = {
    "Srisuk", "Wongsawat", "Chaiyaporn", "Saetang", "Rattanakorn", "Boonmee", "Thongchai",
    "Phromma", "Sukprasert", "Kaewkla", NULL
};
static const char *const s_hebrew_first[] = {
    "Noam", "Tamar", "Yosef", "Shira", "Itai", "Noa", "Eitan", "Yael", "Ariel", "Maya", NULL
};
static const char *const s_hebrew_last[] = {
    "Cohen", "Levi", "Mizrahi", "Peretz", "Biton", "Dahan", "Avraham", "Friedman", "Azoulay",
    "Katz", NULL
};
static const char *const s_west_african_first[] = {
    "Chinedu", "Ngozi", "Oluwaseun", "Adaeze", "Emeka", "Folake", "Tunde", "Chiamaka", "Kwame",
    "Ama", NULL
};
static const char *const s_west_african_last[] = {
    "Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Nwosu", "Adebayo", "Obi", "Mensah",
    "Asante", NULL
};

const gen__culture_t gen__cultures[] = {
    { s_anglo_first, s_anglo_last, false },               /* 0 */
    { s_german_first, s_german_last, false },             /* 1 */
    { s_french_first, s_french_last, false },             /* 2 */
    { s_spanish_first, s_spanish_last, false },           /* 3 */
    { s_italian_first, s_italian_last, false },           /* 4 */
    { s_dutch_first, s_dutch_last, false },               /* 5 */
    { s_polish_first, s_polish_last, false },             /* 6 */
    { s_chinese_first, s_chinese_last, true },            /* 7 */
    { s_japanese_first, s_japanese_last, false },         /* 8: romanised labels, given first */
    { s_korean_first, s_korean_last, false },             /* 9 */
    { s_vietnamese_first, s_vietnamese_last, true },      /* 10 */
    { s_indian_first, s_indian_last, false },             /* 11 */
    { s_arabic_first, s_arabic_last, false },             /* 12 */
    { s_turkish_first, s_turkish_last, false },           /* 13 */
    { s_portuguese_first, s_portuguese_last, false },     /* 14 */
    { s_nordic_first, s_nordic_last, false },             /* 15 */
    { s_thai_first, s_thai_last, false },                 /* 16 */
    { s_hebrew_first, s_hebrew_last, false },             /* 17 */
    { s_west_african_first, s_west_african_last, false }, /* 18 */
};
const size_t gen__culture_count = CORE_ARRAY_LEN(gen__cultures);

/* ============ Streets by style ============ */

static const char *const s_streets_us[] = {
    "Elm St", "Maple Ave", "Oak Dr", "Pine Rd", "Cedar Ln", "Washington Blvd", "Lincoln Ave",
    "Park Pl", "Lake Shore Dr", "Sunset Blvd", "Main St", "2nd Ave", "Highland Ave", "Willow Way",
    "Birch Ave", "Chestnut St", "Walnut St", "Spruce Ct", "Franklin St", "Jefferson Ave",
    "Madison St", "River Rd", "Hillcrest Dr", "Meadow Ln", "Ridge Rd", NULL
};
static const char *const s_streets_gb[] = {
    "High Street", "Church Road", "Station Road", "Victoria Road", "Green Lane", "Manor Road",
    "Park Avenue", "Queens Road", "Kings Road", "Mill Lane", "The Crescent", "Albert Road",
    "Windsor Close", "Springfield Road", "Grange Road", NULL
};
static const char *const s_streets_de[] = {
    "Hauptstraße", "Bahnhofstraße", "Gartenstraße", "Schulstraße", "Dorfstraße",
    "Lindenstraße", "Bergstraße", "Kirchstraße", "Waldweg", "Am Markt", "Goethestraße",
    "Schillerstraße", "Friedrichstraße", "Ringstraße", "Mühlenweg", "Hauptstr.", NULL
};
static const char *const s_streets_fr[] = {
    "rue de la République", "rue Victor Hugo", "avenue Jean Jaurès", "rue Pasteur",
    "boulevard Voltaire", "rue de la Gare", "place de l'Église", "rue des Lilas",
    "chemin des Vignes", "allée des Tilleuls", "rue Nationale", "avenue de la Liberté", NULL
};
static const char *const s_streets_es[] = {
    "Calle Mayor", "Calle Real", "Avenida de la Constitución", "Gran Vía",
    "Paseo de la Castellana", "Calle del Sol", "Calle San Juan", "Plaza Mayor", "Calle de Alcalá",
    "Calle de Serrano", NULL
};
static const char *const s_streets_it[] = {
    "Via Roma", "Via Garibaldi", "Corso Vittorio Emanuele II", "Via Mazzini",
    "Via Dante Alighieri", "Viale Europa", "Via Verdi", "Piazza del Popolo", "Via Cavour",
    "Via Marconi", NULL
};
static const char *const s_streets_nl[] = {
    "Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenweg", "Prinsengracht", "Keizersgracht",
    "Julianalaan", "Beatrixstraat", "Schoolstraat", "Wilhelminastraat", NULL
};
static const char *const s_streets_pl[] = {
    "ul. Marszałkowska", "ul. Długa", "ul. Polna", "ul. Lipowa", "ul. Słoneczna",
    "ul. Mickiewicza", "ul. Kościuszki", "al. Jerozolimskie", "ul. Ogrodowa", "ul. Leśna", NULL
};
static const char *const s_streets_cn[] = {
    "Keyuan Rd", "Shennan Blvd", "Huaqiang North Rd", "Nanjing Rd", "Zhongshan Rd", "Jiefang Rd",
    "Renmin Rd", "Binhai Ave", "Chaoyang Rd", "Huancheng Rd", "Jianshe Rd", "Xinhua St",
    "Futian Rd", "Yingbin Ave", "Chouzhou North Rd", "Bantian Wuhe Ave", NULL
};
static const char *const s_streets_jp[] = {
    "Jingumae", "Dogenzaka", "Nishi-Shinjuku", "Umeda", "Sakae", "Tenjin", "Nihonbashi",
    "Minami-Aoyama", "Higashi-Ikebukuro", "Kita-Senju", NULL
};
static const char *const s_streets_kr[] = {
    "Teheran-ro", "Gangnam-daero", "Sejong-daero", "Itaewon-ro", "Olympic-ro", "Haeundae-ro",
    "Jong-ro", "Myeongdong-gil", NULL
};
static const char *const s_streets_pt[] = {
    "Rua das Flores", "Avenida Paulista", "Rua Augusta", "Rua Oscar Freire", "Avenida Brasil",
    "Rua da Consolação", "Rua XV de Novembro", "Avenida Atlântica", "Rua Sete de Setembro",
    "Avenida da Liberdade", NULL
};
static const char *const s_streets_tr[] = {
    "Atatürk Caddesi", "İstiklal Caddesi", "Cumhuriyet Caddesi", "Bağdat Caddesi",
    "Gazi Mustafa Kemal Bulvarı", "Barbaros Bulvarı", NULL
};
static const char *const s_streets_in[] = {
    "MG Road", "Linking Road", "Park Street", "Brigade Road", "Nehru Place", "Anna Salai",
    "Connaught Place", "FC Road", NULL
};
static const char *const s_streets_en[] = {
    "Nathan Rd", "Orchard Rd", "George St", "Queen St", "King St", "Collins St", "Bay St",
    "Yonge St", "Hennessy Rd", "O'Connell St", "Bourke St", "Granville St", NULL
};
static const char *const s_streets_vn[] = {
    "Nguyễn Huệ", "Lê Lợi", "Đồng Khởi", "Hai Bà Trưng", "Trần Hưng Đạo", NULL
};
static const char *const s_streets_th[] = {
    "Sukhumvit Rd", "Silom Rd", "Ratchadamri Rd", "Phahonyothin Rd", NULL
};
static const char *const s_streets_nordic[] = {
    "Drottninggatan", "Storgatan", "Kungsgatan", "Vasagatan", "Nørregade", "Vestergade", NULL
};
static const char *const s_streets_mx[] = {
    "Avenida Reforma", "Calle Madero", "Avenida Insurgentes Sur", "Calle Hidalgo",
    "Avenida Juárez", NULL
};
static const char *const s_streets_ae[] = {
    "Sheikh Zayed Rd", "Al Wasl Rd", "Jumeirah Beach Rd", "Al Khaleej Rd", NULL
};
static const char *const s_streets_il[] = {
    "Rothschild Blvd", "Dizengoff St", "Herzl St", "Ben Yehuda St", NULL
};

const char *const *const gen__street_styles[] = {
    s_streets_us, s_streets_gb, s_streets_de, s_streets_fr, s_streets_es, s_streets_it,
    s_streets_nl, s_streets_pl, s_streets_cn, s_streets_jp, s_streets_kr, s_streets_pt,
    s_streets_tr, s_streets_in, s_streets_en, s_streets_vn, s_streets_th, s_streets_nordic,
    s_streets_mx, s_streets_ae, s_streets_il,
};

/* ============ Offices, marketplaces, mail domains ============ */

static const char *const s_off_us[] = { "USJFK1", "USORD1", "USLAX1", "USMIA1", "USSFO1", NULL };
static const char *const s_off_gb[] = { "GBLHR001", "GBEMA001", "GBCVT001", NULL };
static const char *const s_off_de[] = { "DE004850", "DE004700", "DE002600", NULL };
static const char *const s_off_fr[] = { "FR000630", "FR002870", NULL };
static const char *const s_off_it[] = { "IT271000", "IT169000", NULL };
static const char *const s_off_es[] = { "ES002801", "ES000801", NULL };
static const char *const s_off_nl[] = { "NL000854", "NL000396", NULL };
static const char *const s_off_be[] = { "BE212000", "BE101000", NULL };
static const char *const s_off_pl[] = { "PL301010", "PL441000", NULL };
static const char *const s_off_se[] = { "SE000301", NULL };
static const char *const s_off_dk[] = { "DK001400", NULL };
static const char *const s_off_at[] = { "AT100000", NULL };
static const char *const s_off_ch[] = { "CH001251", NULL };
static const char *const s_off_ie[] = { "IE000251", NULL };
static const char *const s_off_pt[] = { "PT000250", NULL };
static const char *const s_off_tr[] = { "TR340300", NULL };
static const char *const s_off_kr[] = { "KRICN01", NULL };
static const char *const s_off_jp[] = { "JPNRT01", "JPKIX01", NULL };
static const char *const s_off_tw[] = { "TWTPE01", NULL };
static const char *const s_off_vn[] = { "VNSGN01", NULL };
static const char *const s_off_th[] = { "THBKK01", NULL };
static const char *const s_off_sg[] = { "SGSIN01", NULL };
static const char *const s_off_in[] = { "INBOM4", "INDEL4", NULL };
static const char *const s_off_ae[] = { "AEDXB01", NULL };
static const char *const s_off_il[] = { "ILTLV01", NULL };
static const char *const s_off_ca[] = { "CAYYZ1", "CAYVR1", "CAYUL1", NULL };
static const char *const s_off_au[] = { "AUSYD1", "AUMEL1", "AUBNE1", "AUPER1", NULL };
static const char *const s_off_mx[] = { "MXMEX1", NULL };
static const char *const s_off_br[] = { "BRCWB1", "BRGRU1", NULL };
static const char *const s_off_cn[] = { "CNSZX1", "CNPVG1", NULL };
static const char *const s_off_hk[] = { "HKHKG1", NULL };

static const char *const s_mk_cn[] = { "AliExpress", "Temu", "Shein", "Wish", "Joom", "DHgate",
                                       "Amazon", NULL };
static const char *const s_mk_hk[] = { "AliExpress", "eBay", "Amazon", NULL };
static const char *const s_mk_us[] = { "Amazon", "eBay", "Etsy", "Walmart Marketplace", NULL };
static const char *const s_mk_gb[] = { "eBay", "Amazon", "Etsy", "Vinted", NULL };
static const char *const s_mk_de[] = { "Amazon", "eBay", "Otto", "Zalando", NULL };
static const char *const s_mk_fr[] = { "Cdiscount", "Vinted", "Amazon", "Fnac", NULL };
static const char *const s_mk_it[] = { "Amazon", "eBay", "Subito", NULL };
static const char *const s_mk_es[] = { "Amazon", "Wallapop", "eBay", NULL };
static const char *const s_mk_nl[] = { "Bol.com", "Amazon", "Vinted", NULL };
static const char *const s_mk_pl[] = { "Allegro", "Vinted", NULL };
static const char *const s_mk_jp[] = { "Rakuten", "Amazon", "Mercari", NULL };
static const char *const s_mk_kr[] = { "Coupang", "Gmarket", "11st", NULL };
static const char *const s_mk_tr[] = { "Trendyol", "Hepsiburada", NULL };
static const char *const s_mk_in[] = { "Amazon", "Flipkart", "Meesho", NULL };
static const char *const s_mk_sea[] = { "Shopee", "Lazada", NULL };
static const char *const s_mk_any[] = { "Amazon", "eBay", "Etsy", NULL };

static const char *const s_md_cn[] = { "qq.com", "163.com", "126.com", "sina.com",
                                       "foxmail.com", NULL };
static const char *const s_md_de[] = { "web.de", "gmx.de", "t-online.de", "gmail.com", NULL };
static const char *const s_md_fr[] = { "orange.fr", "free.fr", "laposte.net", "gmail.com", NULL };
static const char *const s_md_gb[] = { "btinternet.com", "yahoo.co.uk", "gmail.com",
                                       "outlook.com", NULL };
static const char *const s_md_jp[] = { "yahoo.co.jp", "docomo.ne.jp", "gmail.com", NULL };
static const char *const s_md_kr[] = { "naver.com", "daum.net", "gmail.com", NULL };
static const char *const s_md_it[] = { "libero.it", "virgilio.it", "gmail.com", NULL };
static const char *const s_md_pl[] = { "wp.pl", "onet.pl", "o2.pl", "gmail.com", NULL };
static const char *const s_md_br[] = { "uol.com.br", "bol.com.br", "gmail.com", NULL };
static const char *const s_md_nl[] = { "ziggo.nl", "kpnmail.nl", "gmail.com", NULL };
static const char *const s_md_any[] = { "gmail.com", "outlook.com", "yahoo.com", "hotmail.com",
                                        "icloud.com", "proton.me", NULL };

/* ============ Countries ============ */

/* Legal forms as written on labels; the first is the most common. */
#define LF_CN "Co., Ltd.|Co.,Ltd|Co., Limited"
#define LF_EN "Ltd|Limited"
#define LF_US "LLC|Inc.|Corp."

const gen__country_t gen__countries[] = {
    { "CN", 520, 4, "USD", 1.0, "+86 13# #### ####", 7, 8,
      "Bldg %n, %N %S|Room %n0%n, %N %S|No. %N %S", "%C %W %I %L|%W (%C) %I %L", s_off_cn,
      s_mk_cn, s_md_cn, LF_CN, 0 },
    { "HK", 70, 8, "USD", 1.0, "+852 #### ####", 7, 14, "Flat %n, %N %S|Unit %n, %N %S",
      "%W %I %L|HK %W %I %L", s_off_hk, s_mk_hk, s_md_any, "Limited|Co., Limited|Ltd", 0 },
    { "US", 60, 300, "USD", 1.0, "+1 ### 555 01##", 0, 0, "%N %S|%N %S Apt %n|%N %S, Unit %n",
      "%W %I %L", s_off_us, s_mk_us, s_md_any, LF_US, 0 },
    { "GB", 40, 90, "GBP", 0.79, "+44 7700 900###", 0, 1, "%N %S|Flat %n, %N %S",
      "%W %I %L", s_off_gb, s_mk_gb, s_md_gb, "Ltd|Limited|LLP", 0 },
    { "DE", 40, 110, "EUR", 0.92, "+49 15# ########", 1, 2, "%S %N|%S %N, %n. OG",
      "%W %I %L", s_off_de, s_mk_de, s_md_de, "GmbH|UG (haftungsbeschränkt)|GmbH & Co. KG",
      276 },
    { "FR", 20, 80, "EUR", 0.92, "+33 6 ## ## ## ##", 2, 3, "%N %S|%N %S, Bât. %n",
      "%W %I %L", s_off_fr, s_mk_fr, s_md_fr, "SARL|SAS|EURL", 250 },
    { "IT", 15, 45, "EUR", 0.92, "+39 3## ### ####", 4, 5, "%S %N|%S, %N", "%W %I %L",
      s_off_it, s_mk_it, s_md_it, "S.r.l.|S.p.A.", 380 },
    { "ES", 10, 45, "EUR", 0.92, "+34 6## ### ###", 3, 4, "%S %N|%S %N, %n", "%W %I %L",
      s_off_es, s_mk_es, s_md_any, "S.L.|S.A.", 724 },
    { "NL", 12, 45, "EUR", 0.92, "+31 6 ########", 5, 6, "%S %N|%S %N-%n", "%W %I %L",
      s_off_nl, s_mk_nl, s_md_nl, "B.V.", 528 },
    { "BE", 3, 20, "EUR", 0.92, "+32 4## ## ## ##", 2, 3, "%S %N|%N %S", "%W %I %L",
      s_off_be, s_mk_nl, s_md_fr, "SRL|BV|SA", 56 },
    { "PL", 10, 35, "PLN", 4.0, "+48 5## ### ###", 6, 7, "%S %N|%S %N/%n", "%W %I %L",
      s_off_pl, s_mk_pl, s_md_pl, "Sp. z o.o.", 616 },
    { "SE", 3, 20, "SEK", 10.5, "+46 7# ### ## ##", 15, 17, "%S %N|%S %N, lgh 1%n0%n",
      "%W %I %L", s_off_se, s_mk_any, s_md_any, "AB", 752 },
    { "DK", 2, 10, "DKK", 6.9, "+45 ## ## ## ##", 15, 17, "%S %N|%S %N, %n. tv", "%W %I %L",
      s_off_dk, s_mk_any, s_md_any, "ApS|A/S", 208 },
    { "AT", 2, 15, "EUR", 0.92, "+43 664 #######", 1, 2, "%S %N|%S %N/%n", "%W %I %L",
      s_off_at, s_mk_de, s_md_de, "GmbH|e.U.", 40 },
    { "CH", 3, 15, "CHF", 0.88, "+41 7# ### ## ##", 1, 2, "%S %N", "%W %I %L", s_off_ch,
      s_mk_any, s_md_any, "AG|GmbH|SA", 0 },
    { "IE", 2, 12, "EUR", 0.92, "+353 8# ### ####", 0, 14, "%N %S|Apt %n, %N %S", "%W %I %L",
      s_off_ie, s_mk_gb, s_md_any, "Ltd|DAC", 372 },
    { "PT", 2, 10, "EUR", 0.92, "+351 9## ### ###", 14, 11, "%S %N|%S %N, %n.º",
      "%W %I %L", s_off_pt, s_mk_any, s_md_any, "Lda.|S.A.", 620 },
    { "TR", 30, 10, "USD", 1.0, "+90 5## ### ## ##", 13, 12, "%S No:%N|%S No:%N D:%n",
      "%W %I %L", s_off_tr, s_mk_tr, s_md_any, "Ltd. Şti.|A.Ş.", 0 },
    { "KR", 25, 20, "USD", 1.0, "+82 10-####-####", 9, 10, "%N %S|%N %S, Apt %n0%n",
      "%W %I %L", s_off_kr, s_mk_kr, s_md_kr, "Co., Ltd.|Inc.", 0 },
    { "JP", 20, 30, "JPY", 150.0, "+81 90-####-####", 8, 9, "%n-%n-%n %S|%n-%n-%n %S %N",
      "%W %I %L", s_off_jp, s_mk_jp, s_md_jp, "Co., Ltd.|K.K.", 0 },
    { "TW", 12, 5, "USD", 1.0, "+886 9## ### ###", 7, 14, "No. %N, %S|%nF, No. %N, %S",
      "%W %I %L", s_off_tw, s_mk_sea, s_md_any, "Co., Ltd.|Corp.", 0 },
    { "VN", 15, 5, "USD", 1.0, "+84 9# ### ## ##", 10, 15, "%N %S", "%W %I %L", s_off_vn,
      s_mk_sea, s_md_any, "Co., Ltd|JSC", 0 },
    { "TH", 8, 5, "USD", 1.0, "+66 8# ### ####", 16, 16, "%N/%n %S", "%W %I %L", s_off_th,
      s_mk_sea, s_md_any, "Co., Ltd.", 0 },
    { "SG", 10, 10, "SGD", 1.34, "+65 9### ####", 7, 14, "%N %S, #0%n-%N|%N %S", "%W %I %L",
      s_off_sg, s_mk_sea, s_md_any, "Pte Ltd|Pte. Ltd.", 0 },
    { "IN", 15, 10, "USD", 1.0, "+91 9#### #####", 11, 13, "%N, %S|Flat %n, %N %S",
      "%W %I %L", s_off_in, s_mk_in, s_md_any, "Pvt Ltd|Private Limited|LLP", 0 },
    { "AE", 3, 10, "AED", 3.67, "+971 5# ### ####", 12, 19, "Villa %N, %S|Apt %n0%n, %S",
      "%W %I %L", s_off_ae, s_mk_any, s_md_any, "LLC|FZ-LLC|FZE", 0 },
    { "IL", 2, 8, "ILS", 3.7, "+972 5#-###-####", 17, 20, "%S %N|%S %N, Apt %n", "%W %I %L",
      s_off_il, s_mk_any, s_md_any, "Ltd.", 0 },
    { "CA", 8, 40, "CAD", 1.36, "+1 ### 555 01##", 0, 14, "%N %S|%n-%N %S", "%W %I %L",
      s_off_ca, s_mk_us, s_md_any, "Inc.|Ltd.|Corp.", 0 },
    { "AU", 6, 40, "AUD", 1.52, "+61 491 570 ###", 0, 14, "%N %S|Unit %n, %N %S", "%W %I %L",
      s_off_au, s_mk_any, s_md_any, "Pty Ltd", 0 },
    { "MX", 3, 15, "MXN", 17.0, "+52 55 #### ####", 3, 18, "%S %N|%S %N, Int. %n",
      "%W %I %L", s_off_mx, s_mk_any, s_md_any, "S.A. de C.V.|S. de R.L.", 0 },
    { "BR", 2, 20, "USD", 1.0, "+55 11 9####-####", 14, 11, "%S, %N|%S, %N, Apto %n0%n",
      "%W %I %L", s_off_br, s_mk_any, s_md_br, "Ltda.|S.A.", 0 },
};
const size_t gen__country_count = CORE_ARRAY_LEN(gen__countries);

/* ============ Cities with postcode templates ============ */

const gen__city_t gen__cities[] = {
    { "US", "New York", "100##" }, { "US", "Brooklyn", "112##" }, { "US", "Newark", "071##" },
    { "US", "Chicago", "606##" }, { "US", "Los Angeles", "900##" }, { "US", "Houston", "770##" },
    { "US", "Phoenix", "850##" }, { "US", "Philadelphia", "191##" },
    { "US", "San Antonio", "782##" }, { "US", "San Diego", "921##" }, { "US", "Dallas", "752##" },
    { "US", "Austin", "787##" }, { "US", "Seattle", "981##" }, { "US", "Denver", "802##" },
    { "US", "Miami", "331##" }, { "US", "Atlanta", "303##" }, { "US", "Boston", "021##" },
    { "US", "Portland", "972##" }, { "US", "Columbus", "432##" }, { "US", "Charlotte", "282##" },
    { "GB", "London", "SW# #@@" }, { "GB", "London", "E# #@@" }, { "GB", "London", "N# #@@" },
    { "GB", "Manchester", "M## #@@" }, { "GB", "Birmingham", "B## #@@" },
    { "GB", "Leeds", "LS# #@@" }, { "GB", "Glasgow", "G## #@@" }, { "GB", "Bristol", "BS# #@@" },
    { "GB", "Liverpool", "L## #@@" }, { "GB", "Edinburgh", "EH# #@@" },
    { "GB", "Cardiff", "CF## #@@" }, { "GB", "Belfast", "BT# #@@" },
    { "DE", "Berlin", "10###" }, { "DE", "Hamburg", "20###" }, { "DE", "München", "80###" },
    { "DE", "Köln", "50###" }, { "DE", "Frankfurt am Main", "60###" },
    { "DE", "Stuttgart", "70###" }, { "DE", "Düsseldorf", "40###" }, { "DE", "Leipzig", "04###" },
    { "DE", "Dresden", "01###" }, { "DE", "Hannover", "30###" }, { "DE", "Nürnberg", "90###" },
    { "FR", "Paris", "750##" }, { "FR", "Lyon", "6900#" }, { "FR", "Marseille", "130##" },
    { "FR", "Toulouse", "310##" }, { "FR", "Nice", "060##" }, { "FR", "Nantes", "440##" },
    { "FR", "Strasbourg", "670##" }, { "FR", "Bordeaux", "330##" }, { "FR", "Lille", "590##" },
    { "IT", "Roma", "001##" }, { "IT", "Milano", "201##" }, { "IT", "Napoli", "801##" },
    { "IT", "Torino", "101##" }, { "IT", "Palermo", "901##" }, { "IT", "Bologna", "401##" },
    { "IT", "Firenze", "501##" },
    { "ES", "Madrid", "280##" }, { "ES", "Barcelona", "080##" }, { "ES", "Valencia", "460##" },
    { "ES", "Sevilla", "410##" }, { "ES", "Zaragoza", "500##" }, { "ES", "Málaga", "290##" },
    { "ES", "Bilbao", "480##" },
    { "NL", "Amsterdam", "10## @@" }, { "NL", "Rotterdam", "30## @@" },
    { "NL", "Den Haag", "25## @@" }, { "NL", "Utrecht", "35## @@" },
    { "NL", "Eindhoven", "56## @@" }, { "NL", "Groningen", "97## @@" },
    { "BE", "Bruxelles", "10##" }, { "BE", "Antwerpen", "20##" }, { "BE", "Gent", "90##" },
    { "BE", "Liège", "40##" },
    { "PL", "Warszawa", "00-###" }, { "PL", "Kraków", "30-###" }, { "PL", "Łódź", "90-###" },
    { "PL", "Wrocław", "50-###" }, { "PL", "Poznań", "60-###" }, { "PL", "Gdańsk", "80-###" },
    { "SE", "Stockholm", "1## ##" }, { "SE", "Göteborg", "4## ##" }, { "SE", "Malmö", "2## ##" },
    { "SE", "Uppsala", "75# ##" },
    { "DK", "København", "1###" }, { "DK", "Aarhus", "8###" }, { "DK", "Odense", "5###" },
    { "AT", "Wien", "1###" }, { "AT", "Graz", "80##" }, { "AT", "Linz", "40##" },
    { "AT", "Salzburg", "50##" },
    { "CH", "Zürich", "80##" }, { "CH", "Genève", "12##" }, { "CH", "Basel", "40##" },
    { "CH", "Bern", "30##" },
    { "IE", "Dublin", "D0# @#@#" }, { "IE", "Cork", "T12 @#@#" }, { "IE", "Galway", "H91 @#@#" },
    { "PT", "Lisboa", "1###-###" }, { "PT", "Porto", "4###-###" }, { "PT", "Braga", "47##-###" },
    { "TR", "İstanbul", "34###" }, { "TR", "Ankara", "06###" }, { "TR", "İzmir", "35###" },
    { "TR", "Bursa", "16###" },
    { "KR", "Seoul", "0####" }, { "KR", "Busan", "4####" }, { "KR", "Incheon", "2####" },
    { "KR", "Daegu", "4####" },
    { "JP", "Tokyo", "1##-####" }, { "JP", "Osaka", "5##-####" }, { "JP", "Nagoya", "4##-####" },
    { "JP", "Fukuoka", "8##-####" }, { "JP", "Yokohama", "2##-####" },
    { "JP", "Sapporo", "0##-####" },
    { "TW", "Taipei", "1##" }, { "TW", "Taichung", "4##" }, { "TW", "Kaohsiung", "8##" },
    { "TW", "New Taipei", "2##" },
    { "VN", "Ho Chi Minh City", "700000" }, { "VN", "Hanoi", "100000" },
    { "VN", "Da Nang", "550000" },
    { "TH", "Bangkok", "10###" }, { "TH", "Chiang Mai", "50###" },
    { "SG", "Singapore", "######" },
    { "IN", "Mumbai", "4000##" }, { "IN", "New Delhi", "1100##" }, { "IN", "Bengaluru", "5600##" },
    { "IN", "Chennai", "6000##" }, { "IN", "Kolkata", "7000##" }, { "IN", "Pune", "4110##" },
    { "AE", "Dubai", "" }, { "AE", "Abu Dhabi", "" }, { "AE", "Sharjah", "" },
    { "IL", "Tel Aviv", "6######" }, { "IL", "Jerusalem", "9######" },
    { "IL", "Haifa", "3######" },
    { "CA", "Toronto", "M#@ #@#" }, { "CA", "Montréal", "H#@ #@#" },
    { "CA", "Vancouver", "V#@ #@#" }, { "CA", "Calgary", "T#@ #@#" },
    { "CA", "Ottawa", "K#@ #@#" },
    { "AU", "Sydney", "2###" }, { "AU", "Melbourne", "3###" }, { "AU", "Brisbane", "4###" },
    { "AU", "Perth", "6###" }, { "AU", "Adelaide", "5###" },
    { "MX", "Ciudad de México", "0####" }, { "MX", "Guadalajara", "44###" },
    { "MX", "Monterrey", "64###" },
    { "BR", "São Paulo", "0####-###" }, { "BR", "Rio de Janeiro", "2####-###" },
    { "BR", "Belo Horizonte", "3####-###" }, { "BR", "Curitiba", "8####-###" },
    { "CN", "Shenzhen", "5180##" }, { "CN", "Guangzhou", "5100##" }, { "CN", "Yiwu", "3220##" },
    { "CN", "Shanghai", "2000##" }, { "CN", "Beijing", "1000##" }, { "CN", "Hangzhou", "3100##" },
    { "CN", "Dongguan", "5230##" }, { "CN", "Xiamen", "3610##" }, { "CN", "Ningbo", "3150##" },
    { "CN", "Suzhou", "2150##" }, { "CN", "Quanzhou", "3620##" }, { "CN", "Foshan", "5280##" },
    { "HK", "Kowloon", "" }, { "HK", "Tsuen Wan", "" }, { "HK", "Kwun Tong", "" },
    { "HK", "Sha Tin", "" }, { "HK", "Central", "" },
};
const size_t gen__city_count = CORE_ARRAY_LEN(gen__cities);

/* ============ Companies and shops ============ */

const char *const gen__company_words[] = {
    "Huaxin", "Jinhui", "Xinda", "Hengtai", "Ruifeng", "Shengda", "Hongyuan", "Tianyi",
    "Dingsheng", "Yuanfang", "Meiyu", "Lianchuang", "Youpin", "Bright", "Sunrise", "Evergreen",
    "Lumina", "Nordwind", "Bluewave", "Silverline", "Apex", "Vertex", "Orion", "Polaris",
    "Zenith", "Cascade", "Summit", "Harbor", "Oakridge", "Maple", "Lotus", "Crystal", "Aurora",
    "Nova", "Atlas", "Falcon", "Kestrel", "Sakura", "Mirae", "Mekong", "Anatolia", "Ganges",
    "Alpenglow", "Riverside", "Northstar", "Greenfield", "Bluebell", "Seabreeze", NULL
};
const char *const gen__industries[] = {
    "Trading", "Technology", "Electronics", "E-commerce", "Import & Export", "Industrial",
    "Commodity", "Supply Chain", "Apparel", "Household Products", "Garments", "Cosmetics",
    "Sporting Goods", "Crafts", "Home Textile", "Lighting", "Hardware", "Digital", "Packaging",
    NULL
};
const char *const gen__shop_words[] = {
    "Lumi", "Bright", "Cozy", "Happy", "Nordic", "Urban", "Sunny", "Fancy", "Smart", "Pure",
    "Daily", "Lucky", "Zen", "Vivid", "Cloud", "Wave", "Maple", "Panda", "Kiwi", "Mango",
    "Pixel", "Gadget", "Trendy", "Chic", "Joy", "Willow", "Ember", "Pebble", "Velvet", "Breeze",
    NULL
};
const char *const gen__shop_suffixes[] = {
    "Store", "Shop", "Official Store", "Outlet", "Boutique", "Mall", "Direct", "Home", "Studio",
    "Market", "Depot", "Goods", NULL
};

const char *const gen__colours[] = {
    "black", "white", "navy blue", "grey", "beige", "red", "pink", "green", "olive", "brown",
    "burgundy", "sky blue", "yellow", "purple", "khaki", NULL
};
const char *const gen__sizes[] = { "S", "M", "L", "XL", "XXL", NULL };

/* ============ Product catalogue: description template, HS 2022 code, unit, ranges ============
 *
 * Templates: {a|b|} picks one option (empty allowed), $C a colour, $Z a clothing size. Values
 * are unit values in USD; weights are net kg per unit. */

const gen__product_t gen__products[] = {
    /* Apparel and accessories */
    { "{Women's |Men's |Unisex |}cotton T-shirt, {short|long} sleeve{, $C|}", "610910", "PCE",
      3, 15, 0.12f, 0.25f },
    { "{Women's |Men's |}quick-dry sports T-shirt, polyester{, size $Z|}", "610990", "PCE", 4,
      18, 0.10f, 0.20f },
    { "{Women's |Men's |}cotton hoodie, {fleece lined|oversized|zip-up}{, $C|}", "611020",
      "PCE", 9, 35, 0.35f, 0.70f },
    { "{Women's |Men's |}acrylic knit sweater{, $C|}", "611030", "PCE", 8, 30, 0.30f, 0.60f },
    { "Women's {floral|summer|maxi|midi} dress, polyester{, size $Z|}", "610443", "PCE", 7, 30,
      0.15f, 0.40f },
    { "Women's {high waist|stretch|seamless} leggings, polyester", "610463", "PCE", 5, 20, 0.15f,
      0.30f },
    { "Men's denim jeans, {slim|regular|straight} fit", "620342", "PCE", 12, 45, 0.50f, 0.80f },
    { "Men's cotton chino trousers{, $C|}", "620342", "PCE", 12, 40, 0.40f, 0.70f },
    { "{Women's |Men's |}puffer jacket, polyester padding{, $C|}", "620193", "PCE", 20, 80, 0.60f,
      1.20f },
    { "Cotton socks, {5|6|10} pairs", "611595", "PR", 4, 14, 0.20f, 0.45f },
    { "Women's cotton briefs, {3|5}-pack", "610821", "PCE", 5, 18, 0.10f, 0.25f },
    { "Women's lace bra{, $C|}", "621210", "PCE", 6, 25, 0.05f, 0.15f },
    { "Silk scarf, {printed|plain}, 90x90cm", "621410", "PCE", 8, 40, 0.05f, 0.12f },
    { "Knitted beanie hat, acrylic{, $C|}", "650500", "PCE", 3, 12, 0.06f, 0.12f },
    { "Baseball cap, cotton, adjustable{, $C|}", "650500", "PCE", 3, 15, 0.08f, 0.15f },
    { "Men's leather belt{, $C|}", "420330", "PCE", 6, 30, 0.15f, 0.30f },
    { "Women's handbag, PU leather{, $C|}", "420222", "PCE", 10, 60, 0.40f, 1.00f },
    { "Canvas backpack, {20L|30L}{, $C|}", "420292", "PCE", 10, 45, 0.40f, 0.90f },
    { "Men's PU leather wallet, RFID blocking", "420232", "PCE", 4, 20, 0.08f, 0.15f },
    { "{Men's|Women's} running shoes, mesh upper, size {38|39|40|41|42|43|44}", "640411", "PR",
      15, 70, 0.50f, 0.90f },
    { "Canvas sneakers, rubber sole{, $C|}", "640419", "PR", 10, 35, 0.50f, 0.90f },
    { "Women's leather ankle boots, size {36|37|38|39|40}", "640391", "PR", 25, 90, 0.80f, 1.40f },
    { "Rubber flip-flops{, $C|}", "640220", "PR", 2, 10, 0.15f, 0.30f },
    { "Sunglasses, polarized, UV400", "900410", "PCE", 3, 25, 0.03f, 0.08f },
    /* Electronics */
    { "Wireless earbuds with charging case", "851830", "PCE", 8, 45, 0.05f, 0.12f },
    { "Portable speaker, waterproof, {5W|10W|20W}", "851821", "PCE", 10, 50, 0.20f, 0.70f },
    { "USB-C charging cable, {1m|2m}, braided", "854442", "PCE", 1.5f, 8, 0.03f, 0.08f },
    { "USB-C wall charger {20W|33W|65W}", "850440", "PCE", 4, 25, 0.05f, 0.15f },
    { "Power bank {10000|20000} mAh with USB-C", "850760", "PCE", 10, 35, 0.20f, 0.45f },
    { "Silicone phone case for {iPhone 15|Galaxy S24|Pixel 8|Redmi Note 13}", "392690", "PCE",
      1.5f, 8, 0.02f, 0.05f },
    { "Tempered glass screen protector, {2|3}-pack", "700719", "PCE", 1, 6, 0.02f, 0.06f },
    { "Smartwatch with heart rate monitor", "851762", "PCE", 15, 60, 0.05f, 0.12f },
    { "Smartphone 128GB, dual SIM, unlocked", "851713", "PCE", 90, 300, 0.18f, 0.25f },
    { "LED strip lights, {5m|10m}, RGB with remote", "940542", "PCE", 5, 25, 0.15f, 0.40f },
    { "LED desk lamp, dimmable, USB powered", "940521", "PCE", 8, 30, 0.40f, 1.00f },
    { "Wireless computer mouse{, $C|}", "847160", "PCE", 3, 20, 0.06f, 0.12f },
    { "Mechanical keyboard, {RGB backlit|wireless|compact 60%}", "847160", "PCE", 20, 80, 0.60f,
      1.10f },
    { "Webcam 1080p with microphone", "852589", "PCE", 10, 40, 0.10f, 0.25f },
    { "MicroSD memory card {64GB|128GB|256GB}", "852351", "PCE", 4, 25, 0.01f, 0.02f },
    { "USB flash drive {32GB|64GB|128GB}", "852351", "PCE", 3, 15, 0.01f, 0.03f },
    { "HDMI cable {2m|3m}, 4K", "854442", "PCE", 2, 10, 0.08f, 0.20f },
    { "Laptop sleeve, neoprene, {13|14|15.6} inch", "420292", "PCE", 5, 20, 0.15f, 0.35f },
    { "Wireless game controller for PC and console", "950450", "PCE", 12, 45, 0.18f, 0.30f },
    { "Electric toothbrush, rechargeable, 2 brush heads", "850980", "PCE", 10, 45, 0.15f, 0.30f },
    { "Ceramic hair straightener", "851632", "PCE", 10, 40, 0.30f, 0.60f },
    { "Foldable hair dryer, {1200W|1800W}", "851631", "PCE", 12, 40, 0.40f, 0.80f },
    { "Digital kitchen scale, 5kg", "842310", "PCE", 5, 18, 0.30f, 0.60f },
    { "Action camera 4K, waterproof case", "852589", "PCE", 30, 120, 0.10f, 0.25f },
    { "Ring light 10 inch with tripod stand", "940542", "PCE", 8, 30, 0.50f, 1.20f },
    /* Home and kitchen */
    { "Ceramic coffee mug, {350ml|450ml}{, $C|}", "691200", "PCE", 3, 15, 0.30f, 0.45f },
    { "Stainless steel water bottle, {500ml|750ml}, insulated", "961700", "PCE", 6, 28, 0.30f,
      0.50f },
    { "Glass food storage containers, set of {3|5}", "701349", "SET", 10, 35, 1.00f, 2.50f },
    { "Silicone baking mat, 40x30cm", "392490", "PCE", 2, 10, 0.10f, 0.20f },
    { "Stainless steel chef knife, 8 inch", "821191", "PCE", 8, 45, 0.18f, 0.30f },
    { "Cotton bath towel set, {3|4} pieces{, $C|}", "630260", "SET", 12, 40, 0.80f, 1.60f },
    { "Microfiber bed sheet set, {queen|king|double}", "630232", "SET", 12, 40, 0.80f, 1.50f },
    { "{Velvet|Linen} cushion cover, 45x45cm{, $C|}", "630499", "PCE", 2, 12, 0.08f, 0.15f },
    { "Blackout curtains, 2 panels{, $C|}", "630391", "SET", 12, 45, 0.80f, 1.80f },
    { "Artificial potted {eucalyptus|monstera|olive tree}", "670290", "PCE", 5, 30, 0.20f, 0.80f },
    { "Scented candle, {lavender|vanilla|sandalwood|fig}", "340600", "PCE", 4, 20, 0.20f, 0.45f },
    { "Silent wall clock, {30cm|40cm}", "910521", "PCE", 6, 25, 0.40f, 0.90f },
    { "Wooden picture frame, {A4|13x18cm}", "441400", "PCE", 3, 15, 0.20f, 0.50f },
    { "Woven storage baskets, set of {2|3}", "460219", "SET", 8, 30, 0.40f, 1.00f },
    { "High pressure shower head, chrome", "848180", "PCE", 6, 25, 0.20f, 0.40f },
    { "Plastic clothes hangers, {20|50}-pack", "392490", "SET", 5, 15, 0.80f, 2.00f },
    { "Coir doormat, 60x40cm", "570220", "PCE", 6, 20, 0.80f, 1.50f },
    /* Beauty and personal care */
    { "Matte lipstick, {red|nude|rose|berry}", "330410", "PCE", 2, 15, 0.02f, 0.05f },
    { "Eyeshadow palette, {12|18} colours", "330420", "PCE", 4, 20, 0.08f, 0.20f },
    { "Nail polish set, {6|12} colours", "330430", "SET", 4, 18, 0.15f, 0.40f },
    { "Face moisturiser, {50ml|100ml}", "330499", "PCE", 5, 30, 0.08f, 0.18f },
    { "Argan oil shampoo, {250ml|400ml}", "330510", "PCE", 4, 15, 0.28f, 0.45f },
    { "Makeup brush set, {10|15} pieces", "960329", "SET", 4, 18, 0.10f, 0.25f },
    { "Eyelash extensions, {5|10} pairs", "670420", "PCE", 2, 10, 0.01f, 0.03f },
    { "Hair clips, set of {10|20}", "961519", "SET", 1, 8, 0.03f, 0.08f },
    { "Eau de parfum, 50ml", "330300", "PCE", 10, 60, 0.20f, 0.35f },
    { "Sunscreen lotion SPF 50, 100ml", "330499", "PCE", 4, 18, 0.11f, 0.15f },
    /* Jewellery and watches */
    { "Stainless steel pendant necklace", "711719", "PCE", 2, 15, 0.01f, 0.04f },
    { "Sterling silver {hoop|stud} earrings", "711311", "PR", 6, 40, 0.005f, 0.02f },
    { "Alloy charm bracelet", "711719", "PCE", 2, 12, 0.01f, 0.05f },
    { "Quartz wrist watch, {leather|steel|silicone} strap", "910211", "PCE", 8, 60, 0.05f,
      0.12f },
    /* Toys, hobby, sport */
    { "Building blocks set, {500|1000} pieces", "950300", "SET", 10, 40, 0.60f, 1.40f },
    { "Plush {bear|bunny|dinosaur|cat}, 30cm", "950300", "PCE", 5, 20, 0.15f, 0.35f },
    { "Jigsaw puzzle, 1000 pieces", "950300", "PCE", 6, 20, 0.40f, 0.70f },
    { "Remote control car, {1:16|1:18} scale", "950300", "PCE", 15, 50, 0.50f, 1.20f },
    { "Acrylic paint set, {12|24} colours", "321310", "SET", 5, 20, 0.30f, 0.80f },
    { "Cotton crochet yarn, {5|10} skeins", "520710", "SET", 5, 18, 0.25f, 0.50f },
    { "Sewing thread set, {24|36} spools", "540120", "SET", 4, 12, 0.20f, 0.40f },
    { "Fishing lure set, {20|50} pieces", "950790", "SET", 6, 25, 0.20f, 0.50f },
    { "Yoga mat, {6mm|10mm}, non-slip{, $C|}", "950691", "PCE", 8, 30, 0.80f, 1.50f },
    { "Resistance bands set, 5 levels", "950691", "SET", 5, 18, 0.20f, 0.45f },
    { "Cycling gloves, half finger, size $Z", "611693", "PR", 4, 15, 0.05f, 0.10f },
    { "Tennis balls, {3|4}-pack", "950661", "SET", 3, 10, 0.17f, 0.25f },
    { "Rechargeable LED headlamp", "851310", "PCE", 5, 20, 0.08f, 0.15f },
    { "Foldable camping chair", "940179", "PCE", 12, 40, 1.50f, 3.00f },
    /* Car and tools */
    { "Magnetic car phone holder", "392690", "PCE", 2, 12, 0.05f, 0.12f },
    { "Dash cam 1080p with night mode", "852589", "PCE", 20, 70, 0.10f, 0.25f },
    { "Digital tyre pressure gauge", "902620", "PCE", 4, 15, 0.05f, 0.12f },
    { "Screwdriver bit set, {24|32|48} pieces", "820540", "SET", 5, 25, 0.20f, 0.60f },
    { "Chrome vanadium wrench set, {8|12} pieces", "820411", "SET", 12, 45, 0.80f, 2.00f },
    { "Measuring tape, 5m", "901780", "PCE", 2, 8, 0.15f, 0.30f },
    { "Soldering iron kit, 60W", "851511", "SET", 8, 30, 0.30f, 0.70f },
    /* Paper, books, office */
    { "A5 dotted notebook, hardcover", "482020", "PCE", 3, 15, 0.20f, 0.40f },
    { "Gel pens, set of {12|24}", "960810", "SET", 3, 12, 0.10f, 0.30f },
    { "Paperback novel", "490199", "PCE", 5, 18, 0.20f, 0.50f },
    { "Children's picture book", "490300", "PCE", 4, 15, 0.20f, 0.60f },
    { "Vinyl sticker pack, {50|100} pieces", "491199", "SET", 2, 8, 0.03f, 0.10f },
    { "Plastic desk organiser", "392610", "PCE", 4, 15, 0.20f, 0.50f },
    /* Pets */
    { "Cat teaser wand with feathers", "392690", "PCE", 1.5f, 6, 0.03f, 0.08f },
    { "Nylon dog leash, {1.5m|2m}{, $C|}", "420100", "PCE", 3, 15, 0.08f, 0.20f },
    { "Pet grooming brush", "960329", "PCE", 3, 12, 0.08f, 0.20f },
    { "Adjustable nylon dog collar{, $C|}", "420100", "PCE", 2, 10, 0.04f, 0.10f },
    /* Food and health */
    { "Loose leaf green tea, {100g|250g}", "090210", "PCE", 5, 25, 0.10f, 0.25f },
    { "Matcha powder, {50g|100g}", "090210", "PCE", 8, 30, 0.05f, 0.10f },
    { "Instant coffee sticks, {20|40} pack", "210111", "PCE", 4, 15, 0.20f, 0.40f },
    { "Dark chocolate bars, {3|5} pack", "180632", "PCE", 5, 15, 0.30f, 0.50f },
    { "Dried mango slices, 500g", "081340", "PCE", 5, 14, 0.50f, 0.50f },
    { "Vitamin C tablets, {60|120} count", "210690", "PCE", 5, 20, 0.10f, 0.20f },
    { "Whey protein powder, vanilla, 1kg", "210610", "PCE", 18, 45, 1.00f, 1.00f },
    { "Rooibos tea bags, {20|40} bags", "121190", "PCE", 3, 10, 0.05f, 0.10f },
    { "Instant noodles, spicy, 5 pack", "190230", "PCE", 3, 9, 0.50f, 0.65f },
    { "Manuka honey, 250g", "040900", "PCE", 15, 45, 0.25f, 0.25f },
    { "Extra virgin olive oil, 500ml", "150920", "PCE", 6, 20, 0.46f, 0.46f },
    { "Disposable face masks, 50 pcs", "630790", "SET", 3, 10, 0.15f, 0.25f },
    /* Garden */
    { "Heirloom vegetable seeds mix, {10|20} packets", "120991", "SET", 5, 18, 0.05f, 0.12f },
    { "Garden hose nozzle, 8 patterns", "842420", "PCE", 4, 15, 0.15f, 0.30f },
    { "Solar garden lights, {6|10}-pack", "940542", "SET", 12, 35, 0.80f, 1.80f },
    { "Bypass pruning shears", "820150", "PCE", 6, 25, 0.20f, 0.35f },
    /* Baby */
    { "Cotton baby bodysuits, {3|5}-pack", "611120", "SET", 8, 25, 0.20f, 0.40f },
    { "Anti-colic baby bottle, {240ml|300ml}", "392490", "PCE", 4, 15, 0.08f, 0.15f },
    { "Silicone pacifier, 2-pack", "401490", "SET", 3, 10, 0.03f, 0.06f },
};
const size_t gen__product_count = CORE_ARRAY_LEN(gen__products);

/* Contents of DOCUMENTS items. */
const gen__product_t gen__document_products[] = {
    { "Printed brochures", "491110", "PCE", 0, 2, 0.10f, 0.40f },
    { "Signed contract copies", "490199", "PCE", 0, 1, 0.05f, 0.20f },
    { "Academic transcripts", "490199", "PCE", 0, 1, 0.03f, 0.10f },
    { "Bank statements and letters", "490199", "PCE", 0, 1, 0.03f, 0.10f },
};
const size_t gen__document_product_count = CORE_ARRAY_LEN(gen__document_products);

/* clang-format on */

size_t gen__list_len(const char *const *list)
{
    size_t n = 0;
    while (list[n] != NULL)
        n++;
    return n;
}

const gen__country_t *gen__country_find(const char *iso2)
{
    for (size_t i = 0; i < gen__country_count; i++)
        if (strcmp(gen__countries[i].iso2, iso2) == 0)
            return &gen__countries[i];
    return NULL;
}
