//! What jobs look like: the detailed occupations common in Xiamen grouped into sectors with
//! salary bands (yuan a month, Xiamen 2023), the education they usually ask, skills,
//! certificates, duties and common job titles; and which occupations each industry hires.

use jiuye_domain::codes::{EducationLevel, OccupationCode, occupation};

/// A family of occupations that share pay, requirements and wording.
pub(crate) struct Sector {
    /// Occupation code prefixes (`6-25`, `2-02-10-02`); the longest match over all sectors wins.
    pub prefixes: &'static [&'static str],
    /// Typical monthly pay, yuan: the low end of an advertised range and its high end.
    pub salary: (i32, i32),
    /// The education rank (EducationLevel::rank) usually asked: 0 none, 4 upper secondary,
    /// 5 大专, 6 本科.
    pub min_rank: u8,
    pub skills: &'static [&'static str],
    /// Certificate names with an optional level.
    pub certificates: &'static [(&'static str, Option<&'static str>)],
    pub duties: &'static [&'static str],
}

const SKILLS_SOFT: &[&str] = &["沟通能力", "团队协作", "吃苦耐劳", "责任心强", "服从安排"];

pub(crate) const SECTORS: &[Sector] = &[
    // 0: software and data engineers
    Sector {
        prefixes: &["2-02-10", "2-02-38"],
        salary: (10000, 25000),
        min_rank: 6,
        skills: &[
            "Java",
            "Spring Boot",
            "MySQL",
            "Redis",
            "Linux",
            "Python",
            "Go",
            "Vue",
            "React",
            "微服务",
            "Git",
            "Docker",
            "Kubernetes",
            "Kafka",
            "机器学习",
            "大数据",
            "云计算",
            "网络安全",
        ],
        certificates: &[
            ("计算机技术与软件专业技术资格 软件设计师", Some("中级")),
            ("计算机技术与软件专业技术资格 系统架构设计师", Some("高级")),
            ("华为认证 HCIP", None),
            ("信息安全工程师", Some("中级")),
        ],
        duties: &[
            "负责公司业务系统的需求分析、设计与编码实现",
            "参与系统架构设计和技术选型，编写技术文档",
            "负责线上问题排查与性能优化",
            "配合产品、测试团队完成版本迭代",
            "负责数据平台的建设与维护",
        ],
    },
    // 1: programmers, testers, database administrators
    Sector {
        prefixes: &["4-04-05"],
        salary: (7000, 16000),
        min_rank: 5,
        skills: &["Java", "Python", "PHP", "JavaScript", "SQL", "自动化测试", "接口测试", "Linux", "Git", "Oracle"],
        certificates: &[
            ("计算机技术与软件专业技术资格 程序员", Some("初级")),
            ("全国计算机等级考试", Some("二级")),
            ("软件评测师", Some("中级")),
        ],
        duties: &[
            "根据需求完成模块的编码和单元测试",
            "编写测试用例，执行功能测试和回归测试",
            "负责数据库日常维护、备份与优化",
            "跟踪缺陷并协助开发人员定位问题",
        ],
    },
    // 2: electronics and hardware engineers
    Sector {
        prefixes: &["2-02-09", "2-02-10-02", "2-02-10-06", "2-02-38-09"],
        salary: (8000, 16000),
        min_rank: 6,
        skills: &[
            "电路设计",
            "PCB Layout",
            "嵌入式开发",
            "C语言",
            "单片机",
            "硬件调试",
            "示波器",
            "Altium Designer",
            "FPGA",
        ],
        certificates: &[("电子工程师", Some("中级")), ("注册电气工程师", None)],
        duties: &[
            "负责电子产品硬件方案设计与原理图绘制",
            "负责样机调试、测试验证及问题分析",
            "配合生产线解决工艺和品质问题",
            "编写设计文档和测试报告",
        ],
    },
    // 3: mechanical, quality, industrial design, automation engineers
    Sector {
        prefixes: &["2-02-07", "2-02-29", "2-02-34", "2-02-38-05", "2-02-38-10"],
        salary: (7000, 14000),
        min_rank: 5,
        skills: &[
            "AutoCAD",
            "SolidWorks",
            "UG",
            "机械制图",
            "模具设计",
            "PLC编程",
            "ISO9001",
            "SPC",
            "FMEA",
            "精益生产",
        ],
        certificates: &[("机械工程师", Some("中级")), ("质量工程师", Some("中级")), ("六西格玛绿带", None)],
        duties: &[
            "负责产品结构设计和工艺文件编制",
            "推动生产线自动化改造与设备选型",
            "负责质量体系运行和客户质量问题处理",
            "组织新产品试产和工艺改进",
        ],
    },
    // 4: construction engineers and BIM
    Sector {
        prefixes: &["2-02-18", "4-08-08-22", "4-08-08-23"],
        salary: (7000, 14000),
        min_rank: 5,
        skills: &["AutoCAD", "BIM", "Revit", "广联达", "施工管理", "工程造价", "识图", "结构设计"],
        certificates: &[
            ("二级建造师", None),
            ("一级建造师", None),
            ("注册造价工程师", None),
            ("BIM技能等级证书", Some("一级")),
        ],
        duties: &[
            "负责项目施工图设计和技术交底",
            "负责现场施工质量、进度和安全管理",
            "编制工程预结算和施工方案",
            "协调设计、监理和施工各方",
        ],
    },
    // 5: environment and safety engineers
    Sector {
        prefixes: &["2-02-27", "2-02-28"],
        salary: (6500, 12000),
        min_rank: 5,
        skills: &["环境监测", "环评", "安全生产管理", "隐患排查", "应急预案"],
        certificates: &[("注册安全工程师", Some("中级")), ("环境影响评价工程师", None)],
        duties: &["负责企业安全生产和环保管理制度的落实", "组织安全检查和隐患整改", "编制环境监测和安全评价报告"],
    },
    // 6: ship officers
    Sector {
        prefixes: &["2-04"],
        salary: (10000, 22000),
        min_rank: 5,
        skills: &["船舶驾驶", "轮机维护", "航海英语", "ECDIS", "船舶安全管理"],
        certificates: &[("海船船员适任证书", None), ("海员证", None)],
        duties: &["负责船舶航行值班和货物积载", "负责轮机设备的运行和保养", "执行船舶安全管理体系"],
    },
    // 7: ship engineers
    Sector {
        prefixes: &["2-02-07-12", "2-02-15"],
        salary: (8000, 15000),
        min_rank: 6,
        skills: &["船舶设计", "AutoCAD", "Tribon", "船舶建造工艺", "船级社规范"],
        certificates: &[("船舶工程师", Some("中级"))],
        duties: &["负责船舶结构和舾装设计", "跟踪船舶建造和修理质量", "编制船舶技术文件"],
    },
    // 8: shipyard and marine workers
    Sector {
        prefixes: &["6-23", "6-30-04", "6-31-02"],
        salary: (6000, 9500),
        min_rank: 0,
        skills: &["船舶焊接", "船舶电气", "钳工", "识图", "高空作业"],
        certificates: &[("焊工 特种作业操作证", None), ("船舶电工证", None)],
        duties: &["负责船体分段制作和装配", "负责船舶机械和电气设备安装调试", "按工艺要求完成修船作业"],
    },
    // 9: doctors
    Sector {
        prefixes: &["2-05-01"],
        salary: (10000, 25000),
        min_rank: 6,
        skills: &["临床诊疗", "病历书写", "急危重症处理", "医患沟通"],
        certificates: &[("医师资格证书", None), ("医师执业证书", None), ("住院医师规范化培训合格证书", None)],
        duties: &["负责门诊和病房的诊疗工作", "参与科室值班和疑难病例讨论", "按规范书写病历"],
    },
    // 10: nurses
    Sector {
        prefixes: &["2-05-08"],
        salary: (6000, 10000),
        min_rank: 5,
        skills: &["护理操作", "静脉输液", "急救技能", "健康宣教", "病区管理"],
        certificates: &[("护士执业证书", None), ("护士执业资格证书", None)],
        duties: &["负责病区患者的护理和治疗", "执行医嘱并做好护理记录", "开展健康教育"],
    },
    // 11: pharmacists and medical technicians
    Sector {
        prefixes: &["2-05-06", "2-05-07"],
        salary: (6000, 11000),
        min_rank: 5,
        skills: &["药品调剂", "药品管理", "影像检查", "临床检验", "康复训练"],
        certificates: &[("执业药师职业资格证书", None), ("卫生专业技术资格", Some("初级（师）"))],
        duties: &["负责处方审核和药品调配", "负责检验、检查设备的操作和报告出具", "指导患者合理用药"],
    },
    // 12: care workers
    Sector {
        prefixes: &["4-14"],
        salary: (4500, 7000),
        min_rank: 0,
        skills: &["生活照料", "基础护理", "康复协助", "老年照护"],
        certificates: &[("医疗护理员培训合格证", None), ("健康照护师 职业技能等级证书", Some("五级"))],
        duties: &["协助护士做好患者生活照料", "负责病区环境整理和陪护", "协助患者康复活动"],
    },
    // 13: business professionals
    Sector {
        prefixes: &["2-06"],
        salary: (6000, 12000),
        min_rank: 6,
        skills: &["市场调研", "商务谈判", "Excel", "PPT", "英语", "数据分析", "项目管理", "外贸"],
        certificates: &[("经济专业技术资格", Some("中级")), ("大学英语六级", None), ("报关水平测试证书", None)],
        duties: &[
            "负责市场调研和客户开发",
            "制定并执行营销和品牌推广方案",
            "负责外贸订单跟进和单证处理",
            "撰写分析报告",
        ],
    },
    // 14: accountants
    Sector {
        prefixes: &["2-06-03"],
        salary: (5000, 9000),
        min_rank: 5,
        skills: &["会计核算", "金蝶", "用友", "税务申报", "Excel", "财务报表", "成本核算"],
        certificates: &[("会计专业技术资格", Some("初级")), ("会计专业技术资格", Some("中级")), ("注册会计师", None)],
        duties: &["负责日常会计核算和凭证录入", "编制月度、年度财务报表", "办理纳税申报和发票管理", "配合审计工作"],
    },
    // 15: finance professionals
    Sector {
        prefixes: &["2-06-09", "2-06-10"],
        salary: (7000, 15000),
        min_rank: 6,
        skills: &["信贷审批", "风险控制", "财务分析", "保险核保", "理赔", "国际结算"],
        certificates: &[("银行业专业人员职业资格", Some("初级")), ("证券从业资格", None), ("保险从业资格", None)],
        duties: &["负责贷款项目的调查与审查", "负责保险核保、理赔案件处理", "开展风险评估"],
    },
    // 16: HR professionals
    Sector {
        prefixes: &["2-06-08", "4-07-03"],
        salary: (5500, 10000),
        min_rank: 5,
        skills: &["招聘", "员工关系", "薪酬核算", "社保办理", "劳动法", "培训组织", "绩效管理"],
        certificates: &[("企业人力资源管理师", Some("三级")), ("人力资源管理专业技术资格", Some("中级"))],
        duties: &["负责招聘渠道维护和面试安排", "办理员工入离职和社保公积金", "负责薪酬核算和考勤管理", "组织员工培训"],
    },
    // 17: teachers
    Sector {
        prefixes: &["2-08"],
        salary: (6000, 11000),
        min_rank: 6,
        skills: &["教学设计", "课堂管理", "普通话", "课件制作", "家校沟通", "班主任工作"],
        certificates: &[("教师资格证", None), ("普通话水平测试等级证书", Some("二级甲等"))],
        duties: &["承担学科教学任务，认真备课上课", "做好学生管理和家校沟通", "参加教研活动"],
    },
    // 18: kindergarten teachers
    Sector {
        prefixes: &["2-08-03"],
        salary: (4500, 7000),
        min_rank: 5,
        skills: &["幼儿教育", "保育", "舞蹈", "钢琴", "手工", "家校沟通"],
        certificates: &[("幼儿园教师资格证", None), ("普通话水平测试等级证书", Some("二级甲等"))],
        duties: &["负责幼儿日常教学和一日生活照料", "设计并组织游戏和主题活动", "做好家园沟通"],
    },
    // 19: training and study services
    Sector {
        prefixes: &["4-13"],
        salary: (5000, 9000),
        min_rank: 5,
        skills: &["课程设计", "在线教学", "家庭教育", "研学活动组织"],
        certificates: &[("教师资格证", None)],
        duties: &["负责学员学习规划和辅导", "组织研学和实践活动", "跟进学员反馈"],
    },
    // 20: designers
    Sector {
        prefixes: &["2-09", "4-08-08", "4-07-07-02"],
        salary: (6000, 13000),
        min_rank: 5,
        skills: &["Photoshop", "Illustrator", "CorelDRAW", "3ds Max", "SketchUp", "C4D", "平面设计", "UI设计", "手绘"],
        certificates: &[("广告设计师 职业技能等级证书", Some("四级")), ("室内装饰设计师", Some("三级"))],
        duties: &["负责产品、包装和宣传物料的设计", "根据客户需求完成设计方案", "跟进设计落地和打样"],
    },
    // 21: translators
    Sector {
        prefixes: &["2-10"],
        salary: (6000, 11000),
        min_rank: 6,
        skills: &["英语", "日语", "笔译", "口译", "商务英语"],
        certificates: &[("全国翻译专业资格（水平）考试", Some("二级")), ("英语专业八级", None)],
        duties: &["负责商务文件、合同的翻译", "承担商务洽谈和会议的口译"],
    },
    // 22: clerical staff
    Sector {
        prefixes: &["3-01"],
        salary: (4500, 6500),
        min_rank: 5,
        skills: &["Office", "Excel", "文档管理", "公文写作", "接待", "档案管理"],
        certificates: &[("全国计算机等级考试", Some("一级")), ("秘书 职业技能等级证书", Some("四级"))],
        duties: &["负责文件收发、档案整理和会议记录", "负责来访接待和办公用品管理", "协助部门处理日常事务"],
    },
    // 23: security
    Sector {
        prefixes: &["3-02", "4-07-05"],
        salary: (4200, 6000),
        min_rank: 0,
        skills: &["安保巡逻", "监控操作", "消防知识", "突发事件处置"],
        certificates: &[("保安员证", None), ("消防设施操作员 职业技能等级证书", Some("四级"))],
        duties: &["负责门岗值守和来访登记", "按时巡逻并做好记录", "协助处理突发事件"],
    },
    // 24: sales and shop staff
    Sector {
        prefixes: &["4-01"],
        salary: (4500, 9000),
        min_rank: 0,
        skills: &["销售技巧", "客户开发", "商品陈列", "收银系统", "客户维护", "普通话", "闽南语"],
        certificates: &[("营销员 职业技能等级证书", Some("四级"))],
        duties: &[
            "负责门店商品销售和顾客接待",
            "开发维护客户，完成销售指标",
            "负责商品陈列、盘点和补货",
            "收集市场信息",
        ],
    },
    // 25: e-commerce
    Sector {
        prefixes: &["4-01-06"],
        salary: (6000, 12000),
        min_rank: 4,
        skills: &["店铺运营", "直播运营", "短视频运营", "数据分析", "亚马逊运营", "抖音运营", "文案策划"],
        certificates: &[("电子商务师 职业技能等级证书", Some("四级")), ("互联网营销师 职业技能等级证书", Some("四级"))],
        duties: &["负责网店日常运营和活动策划", "负责直播间运营和短视频内容", "分析流量和销售数据并优化"],
    },
    // 26: warehouses, loading, forklifts, packing
    Sector {
        prefixes: &["4-02-05", "4-02-06", "6-30-05", "6-30-01", "6-31-05"],
        salary: (4800, 7500),
        min_rank: 0,
        skills: &["叉车操作", "仓库管理", "WMS系统", "ERP", "盘点", "货物装卸", "出入库管理"],
        certificates: &[("叉车司机 特种设备作业人员证", Some("N1")), ("起重机司机 特种设备作业人员证", None)],
        duties: &[
            "负责货物出入库、盘点和库位管理",
            "负责货物装卸、搬运和打包",
            "驾驶叉车完成货物转运",
            "维护仓库安全和5S",
        ],
    },
    // 27: supply chain and logistics professionals
    Sector {
        prefixes: &["4-02-06-03", "4-02-06-05", "4-02-05-03", "2-06-07-12"],
        salary: (6000, 11000),
        min_rank: 5,
        skills: &["供应链管理", "订舱", "报关", "单证", "国际物流", "英语", "ERP"],
        certificates: &[("物流师", Some("三级")), ("报关水平测试证书", None)],
        duties: &["负责订舱、报关和单证操作", "跟进货物运输和客户沟通", "优化供应链流程"],
    },
    // 28: drivers
    Sector {
        prefixes: &["4-02-02", "4-10-08-02"],
        salary: (6500, 10000),
        min_rank: 0,
        skills: &["安全驾驶", "熟悉厦门路况", "车辆保养", "货物押运"],
        certificates: &[("机动车驾驶证", Some("C1")), ("机动车驾驶证", Some("A2")), ("道路运输从业人员资格证", None)],
        duties: &["负责车辆驾驶和货物运输", "做好车辆日常检查和保养", "遵守交通法规，确保行车安全"],
    },
    // 29: couriers and delivery riders
    Sector {
        prefixes: &["4-02-07", "4-10-08-01"],
        salary: (6000, 10000),
        min_rank: 0,
        skills: &["电动车驾驶", "熟悉厦门路况", "快件分拣", "客户沟通", "智能手机使用"],
        certificates: &[("快递员 职业技能等级证书", Some("五级"))],
        duties: &["负责片区快件收派", "负责快件分拣、扫描和装车", "按时完成配送并做好客户服务"],
    },
    // 30: port and passenger shipping
    Sector {
        prefixes: &["4-02-03"],
        salary: (5000, 8000),
        min_rank: 4,
        skills: &["港口业务", "客运服务", "单证处理", "英语"],
        certificates: &[("港口从业人员资格证", None)],
        duties: &["负责港口客运和货运业务办理", "做好旅客引导和服务"],
    },
    // 31: aviation
    Sector {
        prefixes: &["4-02-04"],
        salary: (6000, 11000),
        min_rank: 5,
        skills: &["客舱服务", "英语口语", "应急处置", "地面服务", "无人机操控"],
        certificates: &[("民用航空器驾驶员执照（无人机）", None), ("乘务员训练合格证", None)],
        duties: &["负责航班客舱服务或地面保障", "执行安全检查和应急程序"],
    },
    // 32: hotels
    Sector {
        prefixes: &["4-03-01", "4-14-06"],
        salary: (4000, 5800),
        min_rank: 0,
        skills: &["接待礼仪", "酒店管理系统", "英语口语", "客房清洁", "普通话"],
        certificates: &[("前厅服务员 职业技能等级证书", Some("四级")), ("客房服务员 职业技能等级证书", Some("五级"))],
        duties: &["负责宾客入住、退房和咨询接待", "负责客房清洁和布草更换", "处理宾客需求和投诉"],
    },
    // 33: catering service
    Sector {
        prefixes: &["4-03-02"],
        salary: (4000, 5500),
        min_rank: 0,
        skills: &["点菜", "餐厅服务", "传菜", "收银", "茶艺", "咖啡制作"],
        certificates: &[("健康证", None), ("茶艺师 职业技能等级证书", Some("四级"))],
        duties: &["负责餐厅客人接待和点菜服务", "负责餐前准备和餐后清洁", "保持餐厅卫生"],
    },
    // 34: cooks
    Sector {
        prefixes: &["4-03-02-01", "4-03-02-02", "4-03-02-03", "4-03-02-04"],
        salary: (5500, 9500),
        min_rank: 0,
        skills: &["闽菜", "粤菜", "川菜", "面点制作", "西餐", "刀工", "菜品研发"],
        certificates: &[("中式烹调师 职业技能等级证书", Some("四级")), ("健康证", None)],
        duties: &["负责菜品的烹制和出品", "负责食材验收和厨房卫生", "参与新菜品研发"],
    },
    // 35: tourism
    Sector {
        prefixes: &["4-07-04"],
        salary: (4500, 8000),
        min_rank: 4,
        skills: &["景区讲解", "英语口语", "闽南语", "行程规划", "旅游产品销售"],
        certificates: &[("导游证", None)],
        duties: &["负责游客接待和景点讲解", "安排行程并处理突发情况", "推广旅游线路"],
    },
    // 36: banking and insurance service
    Sector {
        prefixes: &["4-05"],
        salary: (5000, 10000),
        min_rank: 5,
        skills: &["柜面业务", "理财产品销售", "信贷业务", "保险销售", "客户维护"],
        certificates: &[("银行业专业人员职业资格", Some("初级")), ("保险从业资格", None), ("基金从业资格", None)],
        duties: &["负责柜面业务办理和客户咨询", "营销理财、保险产品", "维护客户关系"],
    },
    // 37: customer service, risk, credit, data analysis
    Sector {
        prefixes: &["4-07-02", "4-04-05-03"],
        salary: (4500, 7500),
        min_rank: 4,
        skills: &["客户服务", "电话沟通", "投诉处理", "CRM系统", "普通话", "数据分析"],
        certificates: &[("呼叫中心服务员 职业技能等级证书", Some("四级"))],
        duties: &["负责电话和在线客户咨询", "处理客户投诉并跟踪回访", "整理客户服务数据"],
    },
    // 38: property and real estate
    Sector {
        prefixes: &["4-06"],
        salary: (4500, 8000),
        min_rank: 0,
        skills: &["物业管理", "客户服务", "设备巡检", "房产销售", "停车场管理"],
        certificates: &[("物业管理师", None), ("房地产经纪人协理", None)],
        duties: &["负责小区或楼宇的日常物业服务", "做好设施设备巡检和报修跟进", "处理业主诉求"],
    },
    // 39: domestic and child care
    Sector {
        prefixes: &["4-10-01"],
        salary: (5000, 8500),
        min_rank: 0,
        skills: &["母婴护理", "育婴", "老人照护", "家务整理", "烹饪"],
        certificates: &[
            ("育婴员 职业技能等级证书", Some("四级")),
            ("养老护理员 职业技能等级证书", Some("四级")),
            ("健康证", None),
        ],
        duties: &["负责客户家庭的日常保洁和烹饪", "照护婴幼儿或老人的日常生活", "按服务标准完成上户工作"],
    },
    // 40: beauty and massage
    Sector {
        prefixes: &["4-10-03", "4-10-04"],
        salary: (4500, 9000),
        min_rank: 0,
        skills: &["美容护肤", "美发", "美甲", "推拿按摩", "顾客接待"],
        certificates: &[("美容师 职业技能等级证书", Some("四级")), ("美发师 职业技能等级证书", Some("四级"))],
        duties: &["为顾客提供美容、美发或按摩服务", "维护顾客关系，推荐护理项目", "保持门店卫生"],
    },
    // 41: cleaning and gardening
    Sector {
        prefixes: &["4-09"],
        salary: (3500, 4800),
        min_rank: 0,
        skills: &["保洁", "垃圾分类", "园林养护", "清洁设备使用"],
        certificates: &[("保洁员培训合格证", None)],
        duties: &["负责责任区域的清洁卫生", "负责垃圾收集和分类清运", "负责绿化养护和修剪"],
    },
    // 42: repair technicians
    Sector {
        prefixes: &["4-12"],
        salary: (5500, 9000),
        min_rank: 0,
        skills: &["汽车维修", "故障诊断", "新能源汽车", "家电维修", "电脑维修", "网络布线"],
        certificates: &[("汽车维修工 职业技能等级证书", Some("四级")), ("低压电工作业 特种作业操作证", None)],
        duties: &["负责车辆或设备的维修保养", "进行故障诊断并排除", "做好维修记录"],
    },
    // 43: inspection and testing
    Sector {
        prefixes: &["4-08-05", "6-31-03"],
        salary: (4800, 7000),
        min_rank: 4,
        skills: &["来料检验", "IPQC", "QC七大手法", "检测仪器使用", "化学分析", "质量记录"],
        certificates: &[("质检员 职业技能等级证书", Some("四级")), ("无损检测人员资格证", Some("II级"))],
        duties: &["负责来料、制程和成品的检验", "记录并反馈质量异常", "维护检测仪器"],
    },
    // 44: electronics, electrical and battery production
    Sector {
        prefixes: &["6-25", "6-21", "6-17", "6-24"],
        salary: (4500, 6500),
        min_rank: 0,
        skills: &["SMT操作", "贴片", "焊接", "流水线作业", "防静电操作", "5S管理", "设备点检"],
        certificates: &[("电子设备装接工 职业技能等级证书", Some("四级"))],
        duties: &[
            "按作业指导书完成产品装配和测试",
            "负责生产设备的操作和日常点检",
            "做好产品自检和生产记录",
            "遵守无尘车间规范",
        ],
    },
    // 45: metalwork and plastics
    Sector {
        prefixes: &["6-18", "6-19", "6-14"],
        salary: (5000, 8000),
        min_rank: 0,
        skills: &["CNC", "数控编程", "车床操作", "注塑成型", "冲压", "焊接", "图纸识读", "游标卡尺"],
        certificates: &[("车工 职业技能等级证书", Some("四级")), ("熔化焊接与热切割作业 特种作业操作证", None)],
        duties: &["按图纸完成零件加工", "负责设备调机和首件确认", "做好设备保养和加工记录"],
    },
    // 46: maintenance, electricians, robot operators, safety officers
    Sector {
        prefixes: &["6-31-01", "6-31-06", "6-31-07"],
        salary: (5500, 8500),
        min_rank: 0,
        skills: &["电气维修", "PLC", "设备维护", "低压电工", "钳工", "工业机器人操作", "气动液压"],
        certificates: &[
            ("低压电工作业 特种作业操作证", None),
            ("电工 职业技能等级证书", Some("四级")),
            ("高压电工作业 特种作业操作证", None),
        ],
        duties: &["负责生产设备的日常维护和故障维修", "负责厂区配电和电气线路维护", "做好设备点检和保养记录"],
    },
    // 47: construction trades
    Sector {
        prefixes: &["6-29", "6-30-05-05"],
        salary: (6500, 11000),
        min_rank: 0,
        skills: &["钢筋绑扎", "砌筑", "防水施工", "水电安装", "识图", "高空作业", "装修施工"],
        certificates: &[("建筑施工特种作业操作资格证", None), ("电梯安装维修 特种设备作业人员证", None)],
        duties: &["按图纸和规范完成施工作业", "遵守安全文明施工要求", "配合班组长完成工程进度"],
    },
    // 48: textiles, garments, shoes, furniture, sporting goods
    Sector {
        prefixes: &["6-04", "6-05", "6-06", "6-09"],
        salary: (4500, 7000),
        min_rank: 0,
        skills: &["平车", "针车", "裁剪", "制版", "缝纫", "质检", "计件作业"],
        certificates: &[("缝纫工 职业技能等级证书", Some("五级"))],
        duties: &["负责服装或鞋面的车缝工序", "按工艺要求完成裁剪和组装", "保证产品质量和产量"],
    },
    // 49: food processing and tea
    Sector {
        prefixes: &["6-01", "6-02"],
        salary: (4300, 6300),
        min_rank: 0,
        skills: &["食品加工", "食品安全", "烘焙", "冷链操作", "茶叶加工", "HACCP"],
        certificates: &[("健康证", None), ("评茶员 职业技能等级证书", Some("四级"))],
        duties: &["按工艺完成食品的加工和包装", "遵守食品卫生和安全规范", "做好生产记录"],
    },
    // 50: telecom service
    Sector {
        prefixes: &["4-04-01", "4-04-02"],
        salary: (4500, 7000),
        min_rank: 4,
        skills: &["宽带安装", "光纤熔接", "营业厅业务", "网络维护"],
        certificates: &[("信息通信网络线务员 职业技能等级证书", Some("四级"))],
        duties: &["负责宽带和通信设备的安装维护", "办理营业厅业务"],
    },
];

/// Sector for codes no prefix matches.
static FALLBACK: Sector = Sector {
    prefixes: &[],
    salary: (4500, 8000),
    min_rank: 0,
    skills: &["办公软件", "客户服务"],
    certificates: &[],
    duties: &["完成上级交办的工作", "按岗位规范完成本职工作"],
};

/// Common job titles for an occupation (the occupation's own name is used too).
const TITLES: &[(&str, &[&str])] = &[
    ("6-25-04-07", &["普工", "操作工", "SMT操作员", "电子装配工"]),
    ("6-25-04-08", &["电子调试员", "测试员"]),
    ("6-25-02-03", &["普工", "面板操作员", "生产操作工"]),
    ("6-25-02-05", &["芯片制造操作员", "普工"]),
    ("6-25-01-13", &["PCB操作工", "普工"]),
    ("6-25-03-00", &["装配工", "普工"]),
    ("6-24-04-00", &["普工", "电池生产操作工"]),
    ("6-24-02-04", &["光伏操作工", "普工"]),
    ("6-31-01-03", &["电工", "维修电工", "设备电工"]),
    ("6-31-01-02", &["机修", "机修钳工"]),
    ("6-31-01-10", &["设备维修工", "机电维修工"]),
    ("6-30-05-01", &["叉车司机", "龙门吊司机"]),
    ("6-30-01-00", &["叉车司机", "专用车司机"]),
    ("6-18-01-07", &["CNC操作员", "数控车床操作工", "CNC技术员"]),
    ("6-18-02-04", &["焊工", "氩弧焊工", "电焊工"]),
    ("6-18-01-12", &["冲压工", "冲床操作工"]),
    ("6-14-02-00", &["注塑工", "注塑技术员", "普工"]),
    ("6-31-03-05", &["质检员", "QC检验员", "品检员"]),
    ("6-31-05-00", &["包装工", "普工"]),
    ("6-05-01-03", &["车缝工", "平车工", "缝纫工"]),
    ("6-05-04-01", &["制鞋工", "针车工", "鞋厂普工"]),
    ("6-29-04-01", &["装修师傅", "油漆工", "木工"]),
    ("6-29-03-02", &["水电工", "电气安装工"]),
    ("4-01-02-04", &["收银员"]),
    ("4-01-02-03", &["导购", "店员", "营业员"]),
    ("4-01-02-01", &["销售代表", "销售专员", "业务员"]),
    ("4-01-01-00", &["采购专员", "采购员"]),
    ("4-01-06-01", &["电商运营", "淘宝运营", "跨境电商运营"]),
    ("4-01-06-02", &["直播带货主播", "新媒体运营"]),
    ("4-03-02-05", &["服务员", "餐厅服务员", "传菜员"]),
    ("4-03-02-01", &["厨师", "炒锅", "闽菜厨师"]),
    ("4-03-02-02", &["面点师"]),
    ("4-03-02-08", &["咖啡师"]),
    ("4-03-02-10", &["奶茶店店员", "调饮师"]),
    ("4-03-01-01", &["前台接待", "酒店前台"]),
    ("4-03-01-02", &["客房服务员", "酒店客房员"]),
    ("4-02-06-01", &["仓管员", "仓库管理员"]),
    ("4-02-06-02", &["理货员"]),
    ("4-02-05-01", &["搬运工", "装卸工"]),
    ("4-02-02-02", &["货车司机", "C1司机", "A2货车司机"]),
    ("4-02-02-01", &["公交车司机", "大巴司机", "班车司机"]),
    ("4-02-07-08", &["快递员", "快递派送员"]),
    ("4-02-07-09", &["分拣员", "快件分拣员"]),
    ("4-10-08-01", &["外卖骑手", "配送员"]),
    ("4-07-05-01", &["保安", "保安员", "门岗保安"]),
    ("4-09-08-01", &["保洁员", "清洁工"]),
    ("4-09-10-01", &["绿化工", "园林养护工"]),
    ("4-10-01-05", &["养老护理员", "护工"]),
    ("4-10-01-06", &["家政服务员", "保姆", "育儿嫂"]),
    ("4-10-03-02", &["发型师", "美发助理"]),
    ("4-12-01-01", &["汽修工", "汽车维修技师"]),
    ("4-07-02-03", &["客服专员", "售后客服"]),
    ("4-04-05-03", &["话务员", "电话客服"]),
    ("4-07-03-04", &["人事专员", "HRBP", "人事行政专员"]),
    ("4-07-03-08", &["招聘专员"]),
    ("4-05-01-01", &["银行柜员"]),
    ("4-05-03-01", &["保险顾问"]),
    ("4-06-02-01", &["房产经纪人", "置业顾问"]),
    ("4-06-01-01", &["物业管家", "物业客服"]),
    ("2-02-10-03", &["Java开发工程师", "前端开发工程师", "软件工程师", "Go开发工程师", "C++开发工程师"]),
    ("4-04-05-01", &["程序员", "Python开发工程师", "PHP开发工程师"]),
    ("4-04-05-02", &["软件测试工程师", "测试工程师"]),
    ("2-02-38-03", &["大数据开发工程师", "数据工程师"]),
    ("2-02-38-01", &["算法工程师", "AI工程师"]),
    ("2-02-10-08", &["运维工程师", "IT运维"]),
    ("2-02-10-04", &["网络工程师"]),
    ("2-02-10-06", &["嵌入式软件工程师"]),
    ("2-02-10-02", &["硬件工程师"]),
    ("2-06-03-00", &["会计", "出纳", "财务专员", "总账会计"]),
    ("2-06-07-02", &["市场专员", "市场经理"]),
    ("2-06-07-01", &["外贸业务员", "外贸跟单员"]),
    ("2-06-07-12", &["报关员", "关务专员"]),
    ("3-01-02-02", &["行政助理", "文员", "行政专员"]),
    ("3-01-02-08", &["后勤专员"]),
    ("2-05-08-01", &["护士", "内科护士"]),
    ("2-05-08-04", &["护士", "外科护士"]),
    ("2-08-03-00", &["幼师", "幼儿园教师"]),
    ("2-09-06-01", &["平面设计师", "美工"]),
    ("2-09-06-07", &["数字媒体设计师", "新媒体设计师"]),
    ("2-06-07-07", &["医药代表"]),
    ("2-06-08-01", &["人力资源专员", "人力资源经理"]),
    ("2-06-08-02", &["人力资源顾问", "猎头顾问"]),
    ("2-10-05-00", &["英语翻译", "日语翻译", "翻译"]),
    ("2-05-01-19", &["全科医生", "社区医生"]),
    ("2-05-01-07", &["口腔医生", "牙医"]),
    ("2-04-02-01", &["大副", "二副", "三副"]),
    ("2-04-02-02", &["轮机长", "二管轮", "三管轮"]),
    ("4-08-08-08", &["广告设计师", "平面设计"]),
];

/// The titles of an occupation: the listed variants, or else one derived from the name
/// (`…工程技术人员` → `…工程师`, `…专业人员` → `…专员`, `…设计人员` → `…设计师`,
/// `…人员` → `…员`), or the name itself.
pub(crate) fn titles_of(code: OccupationCode) -> Vec<String> {
    if let Some((_, titles)) = TITLES.iter().find(|(c, _)| *c == code.as_str()) {
        return titles.iter().map(|s| (*s).to_string()).collect();
    }
    let name = code.name();
    let derived = if let Some(stem) = name.strip_suffix("工程技术人员") {
        format!("{stem}工程师")
    } else if let Some(stem) = name.strip_suffix("专业人员") {
        format!("{stem}专员")
    } else if let Some(stem) = name.strip_suffix("设计人员") {
        format!("{stem}设计师")
    } else if let Some(stem) = name.strip_suffix("人员") {
        format!("{stem}员")
    } else {
        name.to_string()
    };
    vec![derived]
}

/// A detailed occupation with its sector (index into [`SECTORS`]; `SECTORS.len()` for the
/// fallback), usual education rank and titles.
pub(crate) struct Occ {
    pub code: OccupationCode,
    pub sector: usize,
    pub min_rank: u8,
    pub titles: Vec<String>,
}

impl Occ {
    pub(crate) fn sector(&self) -> &'static Sector {
        sector(self.sector)
    }
}

pub(crate) fn sector(i: usize) -> &'static Sector {
    SECTORS.get(i).unwrap_or(&FALLBACK)
}

/// The sector whose longest prefix matches `code`, or `SECTORS.len()`.
pub(crate) fn sector_of(code: &str) -> usize {
    let mut best: Option<(usize, usize)> = None;
    for (i, s) in SECTORS.iter().enumerate() {
        for p in s.prefixes {
            if under_any(code, &[p]) && best.is_none_or(|(_, len)| p.len() > len) {
                best = Some((i, p.len()));
            }
        }
    }
    best.map_or(SECTORS.len(), |(i, _)| i)
}

/// The level-4 occupations of `common_in_xiamen()` (or, if that list were empty, every
/// level-4 occupation) with their sector.
pub(crate) fn occupations() -> Vec<Occ> {
    let mut codes: Vec<OccupationCode> =
        occupation::common_in_xiamen().into_iter().filter(|c| c.level() == 4).collect();
    if codes.is_empty() {
        codes = occupation::all()
            .iter()
            .filter(|o| o.level == 4)
            .filter_map(|o| OccupationCode::parse(o.code).ok())
            .collect();
    }
    codes.dedup();
    codes
        .into_iter()
        .map(|code| {
            let i = sector_of(code.as_str());
            Occ { code, sector: i, min_rank: sector(i).min_rank, titles: titles_of(code) }
        })
        .collect()
}

/// Whether an occupation code lies under one of the prefixes.
pub(crate) fn under_any(code: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|p| code == *p || (code.starts_with(p) && code.as_bytes().get(p.len()) == Some(&b'-')))
}

/// Occupations any employer hires: office, finance, HR, security, cleaning, warehouse, drivers.
pub(crate) const GENERAL: &[&str] = &[
    "2-06-03-00",
    "4-07-03-04",
    "3-01-02-02",
    "3-01-02-08",
    "4-07-05-01",
    "4-09-08-01",
    "4-01-02-01",
    "4-07-02-03",
    "4-02-06-01",
    "2-06-08-01",
    "6-31-01-03",
    "4-02-02-02",
];

/// Occupations for gig (零工) work: dispatchable trades.
pub(crate) const GIG: &[&str] = &[
    "4-02-07",
    "4-10-08",
    "4-10-01-06",
    "4-09-08-01",
    "4-02-05-01",
    "6-29-04-01",
    "6-29-02-15",
    "6-29-03-02",
    "4-12-03-01",
    "4-02-02-02",
    "4-03-02-05",
    "6-31-05-00",
    "4-10-04-02",
    "4-09-10-01",
    "6-31-01-03",
];

/// Occupations for 公益性岗位 (public-welfare jobs for people with employment difficulties).
pub(crate) const PUBLIC_WELFARE: &[&str] =
    &["4-09-08-01", "4-07-05-01", "4-09-10-01", "4-06-01-03", "4-07-04-05", "3-01-02-08", "4-10-01-05", "4-09-08-02"];

/// The education a vacancy asks for, given the usual rank of its occupation.
pub(crate) fn education_for(rank: u8, roll: f64) -> Option<EducationLevel> {
    use EducationLevel::*;
    match rank {
        7.. => Some(if roll < 0.7 { Master } else { Doctorate }),
        6 => Some(if roll < 0.85 { Bachelor } else { Master }),
        5 => Some(if roll < 0.6 { College } else { Bachelor }),
        4 if roll < 0.35 => Some(HighSchool),
        4 if roll < 0.45 => Some(SecondarySpecialised),
        4 if roll < 0.7 => Some(College),
        4 => None,
        _ if roll < 0.35 => Some(JuniorHigh),
        _ if roll < 0.4 => Some(HighSchool),
        _ => None,
    }
}

/// How a vacancy states the education it asks.
pub(crate) fn education_phrase(e: Option<EducationLevel>) -> &'static str {
    use EducationLevel::*;
    match e {
        None => "学历不限",
        Some(Doctorate) => "博士研究生学历",
        Some(Master) => "硕士研究生及以上学历",
        Some(Bachelor) => "全日制本科及以上学历",
        Some(College) => "大专及以上学历",
        Some(SecondarySpecialised | VocationalHigh | TechnicalSchool | HighSchool) => "高中或中专及以上学历",
        Some(JuniorHigh) => "初中及以上学历",
        Some(Primary | Other) => "能识字、会简单计算",
    }
}

pub(crate) const BENEFITS: &[&str] = &[
    "五险一金",
    "包住宿",
    "包工作餐",
    "年终奖",
    "带薪年假",
    "节日福利",
    "免费班车",
    "定期体检",
    "加班补贴",
    "周末双休",
    "绩效奖金",
    "岗前培训",
    "餐补",
    "交通补贴",
    "员工旅游",
    "高温补贴",
    "住房补贴",
    "技能提升补贴",
];

pub(crate) const REQUIREMENTS: &[&str] = &[
    "吃苦耐劳，服从安排",
    "责任心强，具备良好的沟通能力和团队合作精神",
    "持有相关证书者优先",
    "身体健康，能适应倒班",
    "有同岗位工作经验者优先",
    "学习能力强，能承受一定工作压力",
    "诚实守信，工作认真细致",
];

pub(crate) fn soft_skills() -> &'static [&'static str] {
    SKILLS_SOFT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sectors_are_well_formed() {
        for s in SECTORS {
            assert!(!s.prefixes.is_empty() && !s.skills.is_empty() && !s.duties.is_empty());
            assert!(s.salary.0 < s.salary.1);
        }
    }

    #[test]
    fn every_listed_title_code_is_a_known_occupation() {
        for (code, titles) in TITLES {
            assert!(OccupationCode::parse(code).is_ok(), "{code}");
            assert!(!titles.is_empty());
        }
    }

    #[test]
    fn longest_prefix_wins() {
        assert_eq!(sector_of("2-02-10-02"), 2);
        assert_eq!(sector_of("2-02-10-03"), 0);
        assert_eq!(sector_of("4-03-02-01"), 34);
        assert_eq!(sector_of("4-03-02-05"), 33);
        assert_eq!(sector_of("9-99"), SECTORS.len());
    }

    #[test]
    fn common_occupations_mostly_have_a_sector() {
        let occs = occupations();
        let unmatched: Vec<&str> = occs.iter().filter(|o| o.sector == SECTORS.len()).map(|o| o.code.as_str()).collect();
        assert!(unmatched.len() * 20 < occs.len(), "unmatched: {unmatched:?}");
    }
}
