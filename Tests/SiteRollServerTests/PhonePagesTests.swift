import Foundation
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import Testing

@testable import SiteRollServer

/// Issue 14 items 3–4 on the phone: the bottom bar with 我的 holding the rest, and 我的考勤 as a
/// month calendar with a month picker.
@Suite("Phone: bottom bar, 我的 and the attendance month")
struct PhonePagesTests {
    @Test("five items in the bottom bar; 我的 lists the rest and stays marked on them")
    func bottomBar() async throws {
        try await TestPlatform.run { client, _ in
            let session = try await client.consoleLogin("m", "worker_zhang")
            let (_, home) = try await client.page("/m", as: session)
            let bar = try #require(home.range(of: "<nav class=\"tabbar\"")).lowerBound
            let items = home[bar...].components(separatedBy: "<a href=").count - 1
            #expect(items == 5)
            for label in ["首页", "打卡", "考勤", "工资", "我的"] { #expect(home[bar...].contains("<span>\(label)</span>")) }
            #expect(!home.contains("nav class=\"side\""))
            let (status, me) = try await client.page("/m/me", as: session)
            #expect(status == .ok)
            for label in ["工资提醒", "我的档案", "我的班组", "修改密码", "退出登录"] { #expect(me.contains(label)) }
            let (_, warnings) = try await client.page("/m/warnings", as: session)
            #expect(warnings.contains("aria-current=\"page\" class=\"active\"><svg"))
            #expect(PageSnapshotTests.essence(of: warnings).contains("nav: 我的\n"))
            // The consoles keep their side navigation.
            let corp = try await client.consoleLogin("corp", "sj_admin")
            let (_, console) = try await client.page("/corp", as: corp)
            #expect(console.contains("nav class=\"side\"") && !console.contains("tabbar"))
        }
    }

    @Test("我的考勤: this month's calendar, totals and days; another month by ?month=")
    func month() async throws {
        try await TestPlatform.run { client, _ in
            let session = try await client.consoleLogin("m", "worker_zhang")
            let today = LocalDate.today(in: ChineseFormat.timeZone)
            let month = PayMonth(containing: today)
            let (status, html) = try await client.page("/m/attendance", as: session)
            #expect(status == .ok)
            #expect(html.contains("id=\"attendance-calendar\""))
            #expect(html.contains(month.chinese))
            #expect(html.components(separatedBy: "<th>").count - 1 == 7)
            #expect(html.contains("class=\"present") || today.day == 1)
            #expect(html.contains("class=\"future") || today.day == month.dayCount)
            #expect(html.contains("<span class=\"num\">\(today.day)</span>"))
            #expect(html.contains("id=\"month-previous\""))
            #expect(!html.contains("id=\"month-next\""))
            // A day with punches links to its card on the same page.
            if let anchor = html.range(of: "<a href=\"#d-") {
                let id = html[anchor.upperBound...].prefix { $0 != "\"" }
                #expect(html.contains("id=\"d-\(id)\""))
            }
            let previous = try #require(month.adding(months: -1))
            let (earlier, page) = try await client.page("/m/attendance?month=\(previous)", as: session)
            #expect(earlier == .ok && page.contains(previous.chinese) && page.contains("id=\"month-next\""))
        }
    }

    @Test(
        "a month that is no month is a Chinese 400; months outside the worker's time say so",
        arguments: ["2026-13", "abc", "2026-1-1", "99999-01", "0000-00"])
    func badMonth(text: String) async throws {
        try await TestPlatform.run { client, _ in
            let session = try await client.consoleLogin("m", "worker_zhang")
            let (status, html) = try await client.page("/m/attendance?month=\(text.formEncoded)", as: session)
            #expect(status == .badRequest)
            #expect(html.contains("月份"))
        }
    }

    @Test("months before the first entry and after this month read nothing and say why")
    func outOfRange() async throws {
        try await TestPlatform.run { client, _ in
            let session = try await client.consoleLogin("m", "worker_zhang")
            let (status, early) = try await client.page("/m/attendance?month=2001-01", as: session)
            #expect(status == .ok && early.contains("没有考勤记录") && !early.contains("id=\"month-previous\""))
            let later = try #require(
                PayMonth(containing: LocalDate.today(in: ChineseFormat.timeZone)).adding(months: 2))
            let (_, future) = try await client.page("/m/attendance?month=\(later)", as: session)
            #expect(future.contains("还没有到") && !future.contains("id=\"month-next\""))
        }
    }
}
