//! 简体中文 (zh-CN) catalogue.

use crate::checks::photo::guidance::GuideCode;
use crate::checks::photo::PhotoCode;
use crate::checks::Code;

pub(super) fn issue(code: Code) -> &'static str {
    match code {
        Code::NameEmpty => "请填写真实姓名。",
        Code::NameTooLong => "姓名过长：最多 {max} 个字符。",
        Code::NameDigits => "姓名中不能有数字。",
        Code::NameEmoji => "姓名中不能有表情符号。",
        Code::NameMarkup => "姓名中不能有 < > & / 等符号。",
        Code::NameInvalidChar => "姓名中不能有字符“{char}”。",
        Code::NameSeparatorPosition => "间隔点“·”只能位于名字中间，且不能连用。",
        Code::NameLatinPunctuation => "英文姓名须以字母开头和结尾，标点不能连用。",
        Code::NameSingleChar => "只有一个字，请确认已填写完整姓名。",
        Code::NameMixedScript => "姓名同时含汉字和字母，请与证件上的姓名保持一致。",
        Code::NameSpacesRemoved => "已去掉汉字之间的空格。",
        Code::NameDotsNormalized => "已将间隔点统一为“·”。",
        Code::NameWidthNormalized => "已将全角字母转换为半角。",
        Code::NameMrzStyle => "已将“<<”格式转换为空格分隔的姓名。",
        Code::IdEmpty => "请填写身份证号码。",
        Code::IdInvalidChar => "身份证号码只能包含数字和末位的 X，不能有“{char}”。",
        Code::IdTooShort => "身份证号码应为 18 位，目前 {count} 位。",
        Code::IdTooLong => "身份证号码应为 18 位，目前 {count} 位，请检查是否多输。",
        Code::IdFirstGeneration => {
            "15 位一代身份证号码已停止使用，请输入二代身份证上的 18 位号码。"
        }
        Code::IdUpgradeSuggestion => "对应的 18 位号码可能是 {suggestion}，请与身份证核对后填写。",
        Code::IdXPosition => "X 只能出现在身份证号码的最后一位。",
        Code::IdRegionUnknown => "前两位“{region}”不是有效的省级代码，请核对。",
        Code::IdDateInvalid => "第 7–14 位“{digits}”不是有效的出生日期，请核对。",
        Code::IdDateFuture => "出生日期 {date} 晚于今天，请核对第 7–14 位。",
        Code::IdDateTooEarly => "出生日期 {date} 早于 1900 年，请核对第 7–14 位。",
        Code::IdCheckMismatch => "校验位不符：可能有一位数字输错或两位顺序颠倒，请逐位核对。",
        Code::IdBirthDate => "出生日期 {date}（{age} 岁）。",
        Code::IdResidencePermit => "港澳台居民居住证号码。",
        Code::IdPermanentResidence => "外国人永久居留身份证号码。",
        Code::IdPhotoMismatch => {
            "与身份证照片上的号码（{photo}）不一致：第 {positions} 位不同，请逐位核对。"
        }
        Code::PassportEmpty => "请填写护照号码。",
        Code::PassportInvalidChar => "护照号码只能包含字母和数字，不能有“{char}”。",
        Code::PassportTooShort => "护照号码至少 {min} 位。",
        Code::PassportTooLong => "护照号码最多 {max} 位。",
        Code::PassportChnLength => "中国护照号码应为 9 位，目前 {count} 位。",
        Code::PassportChnOldSeries => "这是旧版护照号码，此类护照均已过期，请填写有效护照的号码。",
        Code::PassportChnPattern => "号码格式与中国护照不符（通常为 E 开头），请核对。",
        Code::PassportChnLetterForDigit => "第二位通常不是字母 O 或 I，是否应为 {suggestion}？",
        Code::PassportRepeated => "号码各位全部相同，请核对。",
        Code::PassportFillerRemoved => "已去掉末尾的“<”。",
        Code::PassportCountryInvalid => "签发国家代码“{country}”无效，应为 3 个字母（如 CHN）。",
        Code::PhoneEmpty => "请填写手机号码。",
        Code::PhoneInvalidChar => "手机号码只能包含数字，不能有“{char}”。",
        Code::PhoneExtension => "请填写手机号码，不要带分机号。",
        Code::PhoneNotMainland => "请填写中国大陆手机号码（+86），{code} 不支持。",
        Code::PhoneNotMobile => "这不是手机号码：需要能接收短信的 11 位手机号。",
        Code::PhoneInvalidPrefix => "手机号码不会以“{prefix}”开头，请核对。",
        Code::PhoneDataOnly => "{prefix} 开头的 13 位号码是物联网卡号，无法接收短信。",
        Code::PhoneTooShort => "手机号码应为 11 位，目前 {count} 位。",
        Code::PhoneTooLong => "手机号码应为 11 位，目前 {count} 位。",
        Code::PhoneUnusualPrefix => "{prefix} 号段不常见，可能无法接收短信，请确认。",
        Code::PhonePrefixRemoved => "已去掉国家代码或前缀。",
        Code::ExpiryEmpty => "请填写护照有效期。",
        Code::ExpiryInvalid => "请按 年-月-日 填写有效期。",
        Code::ExpiryPassed => "护照已于 {date} 过期，请使用有效护照。",
        Code::ExpirySoon => {
            "护照将于 {date} 到期（还剩 {days} 天，不足 {months} 个月），可能影响审核。"
        }
        Code::ExpiryValid => "有效期至 {date}。",
        Code::MrzEmpty => "可选：粘贴护照资料页底部的两行机读码。",
        Code::MrzFormat => "机读码应为两行，每行 44 个字符（字母、数字和 <）。",
        Code::MrzNotPassport => "这不是护照机读码（应以 P 开头）。",
        Code::MrzCheckNumber => "机读码中护照号码的校验位不符，请核对。",
        Code::MrzCheckBirth => "机读码中出生日期的校验位不符，请核对。",
        Code::MrzCheckExpiry => "机读码中有效期的校验位不符，请核对。",
        Code::MrzCheckPersonal => "机读码中个人号码的校验位不符，请核对。",
        Code::MrzCheckComposite => "机读码第二行的总校验位不符，请核对。",
        Code::MrzNumberMismatch => "填写的护照号码与机读码（{mrz}）不一致。",
        Code::MrzExpiryMismatch => "填写的有效期与机读码（{mrz}）不一致。",
        Code::MrzNameMismatch => "填写的姓名与机读码（{mrz}）不一致，请确认。",
        Code::MrzCountryMismatch => "所选签发国家与机读码（{mrz}）不一致。",
        Code::MrzExpired => "机读码显示护照已于 {date} 过期。",
        Code::MrzValid => "机读码校验通过：{number}，有效期至 {expiry}。",
    }
}

pub(super) fn photo(code: PhotoCode) -> &'static str {
    match code {
        PhotoCode::ResolutionOk => "分辨率足够。",
        PhotoCode::ResolutionLow => "分辨率偏低：请用相机原图，不要截图或压缩。",
        PhotoCode::ResolutionTooLow => "分辨率太低：请用手机相机直接拍摄并上传原图。",
        PhotoCode::BrightnessOk => "亮度合适。",
        PhotoCode::Dim => "偏暗：最好到光线更充足的地方重拍。",
        PhotoCode::TooDark => "太暗：请到光线充足的地方重拍。",
        PhotoCode::Bright => "偏亮：部分区域过曝，可避开强光重拍。",
        PhotoCode::TooBright => "太亮：画面过曝，请避开强光或关闭闪光灯重拍。",
        PhotoCode::ContrastOk => "对比度正常。",
        PhotoCode::LowContrast => "对比度偏低：画面发灰，请在均匀光线下重拍。",
        PhotoCode::NoContrast => "几乎没有对比度：看不清内容，请重拍。",
        PhotoCode::Sharp => "清晰。",
        PhotoCode::SlightlyBlurry => "有些模糊：请拿稳手机，对焦后再拍。",
        PhotoCode::Blurry => "模糊：请拿稳手机，点击屏幕对焦后重拍。",
        PhotoCode::MotionBlur => "拍摄时手机晃动，画面有拖影：请拿稳手机或靠在桌面上重拍。",
        PhotoCode::SlightMotionBlur => "有轻微拖影：拍摄时请拿稳手机。",
        PhotoCode::NoDetail => "画面中细节太少，无法判断是否清晰：请让证件占满画面。",
        PhotoCode::NoGlare => "没有反光。",
        PhotoCode::SomeGlare => "有轻微反光：可稍微倾斜证件或避开灯光。",
        PhotoCode::Glare => "有反光遮挡：请倾斜证件、避开灯光或关闭闪光灯重拍。",
        PhotoCode::ColorOk => "彩色照片。",
        PhotoCode::Grayscale => "像是黑白复印件：请拍摄证件原件的彩色照片。",
        PhotoCode::FramingOk => "证件完整，大小合适。",
        PhotoCode::NoDocument => "没有找到证件：请把整张证件放在颜色不同的纯色桌面上，正对拍摄。",
        PhotoCode::DocumentCutOff => "证件不完整：请让整张证件都在画面内，四角留出空隙。",
        PhotoCode::DocumentNearEdge => "证件贴近画面边缘：请稍微拉远，让四角都留出空隙。",
        PhotoCode::DocumentSmall => "证件上的文字偏小：请再靠近一些，让每行字都清晰易读。",
        PhotoCode::DocumentTooSmall => "证件太小，看不清文字：请靠近拍摄，让证件占满大部分画面。",
        PhotoCode::FaceOk => "已检测到人脸。",
        PhotoCode::NoFace => "没有检测到人脸：请正对镜头，露出完整面部，光线充足。",
        PhotoCode::SeveralFaces => "画面中有多张人脸：请只拍本人。",
        PhotoCode::FaceSmall => "人脸偏小：请靠近镜头一些。",
        PhotoCode::SideOk => "页面正确：已读出机读码。",
        PhotoCode::LooksLikeVisaPage => {
            "这像是签证页：这里需要护照资料页（有照片和两行机读码的那一页）。"
        }
        PhotoCode::LooksLikeDataPage => "这像是护照资料页：这里需要签证页。",
        PhotoCode::LooksLikePortraitSide => "这像是身份证人像面：这里需要国徽面。",
        PhotoCode::ErrorEmpty => "文件是空的，请重新选择照片。",
        PhotoCode::ErrorUnsupportedFormat => "不支持的文件类型：请上传 JPG、PNG 或 WebP 照片。",
        PhotoCode::ErrorHeic => {
            "无法读取 HEIC 格式：请在相机设置中选择“兼容性最佳”，或导出为 JPG 后上传。"
        }
        PhotoCode::ErrorCorrupt => "照片文件已损坏或不完整，请重新拍摄或选择。",
        PhotoCode::ErrorTooLarge => "文件太大：请上传 {max_mb} MB 以内的照片。",
        PhotoCode::ErrorTooManyPixels => "照片像素过多，无法检查：请上传 {max_pixels}以内的照片。",
        PhotoCode::ErrorUnreadable => "无法读取该文件。",
    }
}

/// 相机实时引导：一句简短提示。
pub(super) fn guide(code: GuideCode) -> &'static str {
    match code {
        GuideCode::NoDocument => "请把整张证件放进取景框。",
        GuideCode::CutOff => "证件有一部分在框外：请移到中间。",
        GuideCode::TooClose => "太近了：手机稍微拿远一点。",
        GuideCode::TooFar => "太远了：请靠近一些。",
        GuideCode::TooDark => "太暗了：请到更亮的地方。",
        GuideCode::TooBright => "太亮了：请避开直射的光。",
        GuideCode::Glare => "有反光：请稍微倾斜证件或避开光源。",
        GuideCode::HoldStill => "请保持不动…",
        GuideCode::Blurry => "画面模糊：请拿稳，等相机对焦。",
        GuideCode::NoFace => "请正对镜头，露出整张脸。",
        GuideCode::SeveralFaces => "画面里只能有您一个人。",
        GuideCode::CentreFace => "请把脸移到画面中间。",
        GuideCode::Good => "很好：请保持不动，正在拍摄…",
    }
}
