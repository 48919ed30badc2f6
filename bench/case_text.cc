#include "case_text.h"

#include <cstdio>

namespace casevault::bench {
namespace {

const char* const kFamilyNames[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng",
                                    "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"};
const char* const kGivenNames[] = {"Thị Lan", "Thị Hoa", "Ngọc Anh", "Minh Thư",
                                   "Thu Trang", "Bảo Ngọc", "Khánh Linh",
                                   "Thị Mai", "Hồng Nhung", "Phương Thảo"};
const char* const kPlaces[] = {
    "Hành lang tầng ba, dãy nhà B", "Nhà vệ sinh nữ gần sân thể dục",
    "Cổng sau của trường, đường Lê Lợi", "Nhà riêng của gia đình em, phường 7",
    "Nhóm trò chuyện của lớp trên mạng xã hội", "Bến xe buýt trước trường"};
const char* const kClasses[] = {"6A1", "7A2", "8A3", "9A4", "10C1", "11B2"};
const char* const kOpenings[] = {
    "Em học sinh đến phòng tư vấn sau giờ ra chơi, vẻ mặt lo lắng và ít nói. ",
    "Giáo viên chủ nhiệm đưa em đến gặp chuyên viên tư vấn sau khi thấy em "
    "nghỉ học nhiều buổi liên tiếp. ",
    "Một bạn cùng lớp báo cho cô tư vấn rằng em đang gặp chuyện không ổn. "};
const char* const kMiddles[] = {
    "Em kể rằng trong ba tuần qua có người nhiều lần nhắn tin đe dọa, chê bai "
    "ngoại hình và nói sẽ đăng ảnh của em lên mạng nếu em kể với người lớn. "
    "Em sợ đến trường, mất ngủ và không muốn ăn. ",
    "Em cho biết ở nhà thường xuyên bị la mắng nặng lời, có lần bị đánh vào "
    "tay và lưng khi không làm xong việc nhà; em có vết bầm đã mờ ở cánh tay. "
    "Em không muốn về nhà vào cuối tuần. ",
    "Theo lời em, một nhóm học sinh lớp trên chặn đường em ở cổng trường, giật "
    "cặp và xô em ngã; chuyện lặp lại nhiều lần từ đầu học kỳ. Em bị trầy đầu "
    "gối và rất sợ hãi khi tan học. "};
const char* const kEndings[] = {
    "Chuyên viên đã lắng nghe, trấn an em, giải thích quyền được bảo vệ và "
    "cùng em lập kế hoạch an toàn ban đầu: em có số điện thoại của cô tư vấn, "
    "được đổi chỗ ngồi và sẽ có người đi cùng khi tan học. Em đồng ý để nhà "
    "trường liên hệ với phụ huynh trong tuần này. (Dữ liệu minh họa.)",
    "Chuyên viên ghi nhận sự việc, hỏi ý kiến em về việc báo cho gia đình và "
    "hẹn gặp lại sau hai ngày. Nhà trường sẽ trao đổi với giáo viên chủ nhiệm, "
    "theo dõi tình hình học tập và sức khỏe tinh thần của em, và giới thiệu "
    "dịch vụ hỗ trợ tâm lý nếu cần. (Dữ liệu minh họa.)"};

const char* const kContexts[] = {
    "Em sống cùng mẹ và bà ngoại; bố đi làm xa, mỗi tháng về một lần. Em học "
    "khá, thích vẽ và từng tham gia câu lạc bộ mỹ thuật của trường. ",
    "Em là con thứ hai trong gia đình ba anh chị em; gần đây kết quả học tập "
    "giảm sút rõ rệt và em thường ngồi một mình trong giờ ra chơi. ",
    "Em mới chuyển đến trường từ đầu năm học, chưa có nhiều bạn thân; giáo "
    "viên bộ môn nhận thấy em hay giật mình và tránh giao tiếp bằng mắt. "};

template <typename T, size_t N>
const T& Pick(const T (&items)[N], uint64_t i) {
  return items[i % N];
}

}  // namespace

CaseText MakeCaseText(uint64_t i) {
  CaseText c;
  c.incident_type = 2 + static_cast<int32_t>(i % 5);          // 2..6
  c.context = 1 + static_cast<int32_t>((i / 5) % 5);          // 1..5
  c.severity = 1 + static_cast<int32_t>(i % 2);               // low, medium
  char date[16];
  std::snprintf(date, sizeof date, "2025-%02d-%02d",
                static_cast<int>(1 + i % 12), static_cast<int>(1 + (i / 12) % 28));
  c.incident_date = date;
  c.place = Pick(kPlaces, i / 3);
  c.reporter_type = 1 + static_cast<int32_t>(i % 5);
  c.victim_name = std::string("Học sinh ") + Pick(kFamilyNames, i) + " " +
                  Pick(kGivenNames, i / 10) + " (ví dụ " + std::to_string(i) + ")";
  c.victim_gender = 1 + static_cast<int32_t>(i % 4);
  c.victim_birth_year = 2008 + static_cast<int32_t>(i % 8);
  c.victim_class = Pick(kClasses, i / 7);
  c.perpetrator_relation = i % 3 == 0 ? 1 : (i % 3 == 1 ? 3 : 5);
  if (i % 3 != 2) {
    c.perpetrator_name = std::string(Pick(kFamilyNames, i / 100)) + " Văn " +
                         Pick(kGivenNames, i / 1000);
  }
  c.narrative = std::string(Pick(kOpenings, i)) + Pick(kContexts, i / 2) +
                Pick(kMiddles, i / 3) + Pick(kEndings, i / 9);
  return c;
}

std::string MakeNoteText(uint64_t i) {
  return std::string("Buổi gặp lần ") + std::to_string(i) +
         ": em bình tĩnh hơn, đã ngủ được và đi học đều. Cô chủ nhiệm xác nhận "
         "không còn tin nhắn đe dọa. Tiếp tục theo dõi và hẹn gặp lại tuần sau. "
         "(Dữ liệu minh họa.)";
}

size_t TextBytes(const CaseText& c) {
  return c.place.size() + c.victim_name.size() + c.victim_class.size() +
         c.perpetrator_name.size() + c.narrative.size();
}

}  // namespace casevault::bench
