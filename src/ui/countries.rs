//! Passport issuing countries offered in the form: China first, then the most common
//! origins of cross-border shoppers' passports. The check itself accepts any ISO 3166-1
//! alpha-3 code (the CLI and JS API take any).

/// One entry of the country list.
pub struct Country {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

const fn c(code: &'static str, zh: &'static str, en: &'static str) -> Country {
    Country { code, zh, en }
}

pub const COUNTRIES: &[Country] = &[
    c("CHN", "中国", "China"),
    c("HKG", "中国香港", "Hong Kong, China"),
    c("MAC", "中国澳门", "Macao, China"),
    c("USA", "美国", "United States"),
    c("CAN", "加拿大", "Canada"),
    c("GBR", "英国", "United Kingdom"),
    c("AUS", "澳大利亚", "Australia"),
    c("NZL", "新西兰", "New Zealand"),
    c("SGP", "新加坡", "Singapore"),
    c("MYS", "马来西亚", "Malaysia"),
    c("JPN", "日本", "Japan"),
    c("KOR", "韩国", "Korea"),
    c("THA", "泰国", "Thailand"),
    c("IDN", "印度尼西亚", "Indonesia"),
    c("PHL", "菲律宾", "Philippines"),
    c("VNM", "越南", "Viet Nam"),
    c("DEU", "德国", "Germany"),
    c("FRA", "法国", "France"),
    c("ITA", "意大利", "Italy"),
    c("ESP", "西班牙", "Spain"),
    c("NLD", "荷兰", "Netherlands"),
    c("RUS", "俄罗斯", "Russia"),
    c("PRT", "葡萄牙", "Portugal"),
    c("BRA", "巴西", "Brazil"),
];
