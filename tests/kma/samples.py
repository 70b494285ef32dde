# ruff: noqa: E501  (verbatim KMA lines are wider than the code style)
"""Verbatim KMA replies quoted in the project's API reference (§1.3 a and b, §2.3).

They are short public examples. Line 52 of the help block keeps KMA's trailing space.
"""

# §1.3 (a): kma_sfcdd.php with help=1, one comma-separated row (station 174, 2025-11-05).
ASOS_HELP_COMMA_REPLY = (
    "#START7777\n"
    "#--------------------------------------------------------------------------------------------------\n"
    "#  기상청 지상관측 일자료 [입력인수형태][예] ?tm=20100715&stn=0&help=1\n"
    "#--------------------------------------------------------------------------------------------------\n"
    "#  1. TM            : 관측일 (KST)\n"
    "#  2. STN           : 국내 지점번호\n"
    "#  3. WS_AVG        : 일 평균 풍속 (m/s)\n"
    "#  4. WR_DAY        : 일 풍정 (m)\n"
    "#  5. WD_MAX        : 최대풍향\n"
    "#  6. WS_MAX        : 최대풍속 (m/s)\n"
    "#  7. WS_MAX_TM     : 최대풍속 시각 (시분)\n"
    "#  8. WD_INS        : 최대순간풍향\n"
    "#  9. WS_INS        : 최대순간풍속 (m/s)\n"
    "# 10. WS_INS_TM     : 최대순간풍속 시각 (시분)\n"
    "# 11. TA_AVG        : 일 평균기온 (C)\n"
    "# 12. TA_MAX        : 최고기온 (C)\n"
    "# 13. TA_MAX_TM     : 최고기온 시가 (시분)\n"
    "# 14. TA_MIN        : 최저기온 (C)\n"
    "# 15. TA_MIN_TM     : 최저기온 시각 (시분)\n"
    "# 16. TD_AVG        : 일 평균 이슬점온도 (C)\n"
    "# 17. TS_AVG        : 일 평균 지면온도 (C)\n"
    "# 18. TG_MIN        : 일 최저 초상온도 (C)\n"
    "# 19. HM_AVG        : 일 평균 상대습도 (%)\n"
    "# 20. HM_MIN        : 최저습도 (%)\n"
    "# 21. HM_MIN_TM     : 최저습도 시각 (시분)\n"
    "# 22. PV_AVG        : 일 평균 수증기압 (hPa)\n"
    "# 23. EV_S          : 소형 증발량 (mm)\n"
    "# 24. EV_L          : 대형 증발량 (mm)\n"
    "# 25. FG_DUR        : 안개계속시간 (hr)\n"
    "# 26. PA_AVG        : 일 평균 현지기압 (hPa)\n"
    "# 27. PS_AVG        : 일 평균 해면기압 (hPa)\n"
    "# 28. PS_MAX        : 최고 해면기압 (hPa)\n"
    "# 29. PS_MAX_TM     : 최고 해면기압 시각 (시분)\n"
    "# 30. PS_MIN        : 최저 해면기압 (hPa)\n"
    "# 31. PS_MIN_TM     : 최저 해면기압 시각 (시분)\n"
    "# 32. CA_TOT        : 일 평균 전운량 (1/10)\n"
    "# 33. SS_DAY        : 일조합 (hr)\n"
    "# 34. SS_DUR        : 가조시간 (hr)\n"
    "# 35. SS_CMB        : 캄벨 일조 (hr)\n"
    "# 36. SI_DAY        : 일사합 (MJ/m2)\n"
    "# 37. SI_60M_MAX    : 최대 1시간일사 (MJ/m2)\n"
    "# 38. SI_60M_MAX_TM : 최대 1시간일사 시각 (시분)\n"
    "# 39. RN_DAY        : 일 강수량 (mm)\n"
    "# 40. RN_D99        : 9-9 강수량 (mm)\n"
    "# 41. RN_DUR        : 강수계속시간 (hr)\n"
    "# 42. RN_60M_MAX    : 1시간 최다강수량 (mm)\n"
    "# 43. RN_60M_MAX_TM : 1시간 최다강수량 시각 (시분)\n"
    "# 44. RN_10M_MAX    : 10분간 최다강수량 (mm)\n"
    "# 45. RN_10M_MAX_TM : 10분간 최다강수량 시각 (시분)\n"
    "# 46. RN_POW_MAX    : 최대 강우강도 (mm/h)\n"
    "# 47. RN_POW_MAX_TM : 최대 강우강도 시각 (시분)\n"
    "# 48. SD_NEW        : 최심 신적설 (cm)\n"
    "# 49. SD_NEW_TM     : 최심 신적설 시각 (시분)\n"
    "# 50. SD_MAX        : 최심 적설 (cm)\n"
    "# 51. SD_MAX_TM     : 최심 적설 시각 (시분)\n"
    "# 52. TE_05         : 0.5m 지중온도 (C) \n"
    "# 53. TE_10         : 1.0m 지중온도 (C)\n"
    "# 54. TE_15         : 1.5m 지중온도 (C)\n"
    "# 55. TE_30         : 3.0m 지중온도 (C)\n"
    "# 56. TE_50         : 5.0m 지중온도 (C)\n"
    "#--------------------------------------------------------------------------------------------------\n"
    "#2345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123\n"
    "# YYMMDD STN   WS    WR  WD   WS   WS  WD   WS   WS    TA    TA   TA    TA   TA    TD    TS    TG    HM    HM   HM    PV  EV_S  EV_L    FG     PA     PS     PS   PS     PS   PS   CA   SS   SS   SS    SI    SI   SI     RN     RN    RN     RN   RN     RN   RN     RN   RN     SD   SD     SD   SD    TE    TE    TE    TE    TE\n"
    "#    KST  ID  AVG   DAY MAX  MAX  MAX INS  INS  INS   AVG   MAX  MAX   MIN  MIN   AVG   AVG   MIN   AVG   MIN  MIN   AVG               DUR    AVG    AVG    MAX  MAX    MIN  MIN  TOT  DAY  DUR  CMB   DAY   60M  60M    DAY    D99   DUR    60M  60M    10M  10M    POW  POW    NEW  NEW    MAX  MAX     5    10    15    30    50\n"
    "#             m/s     m  16  m/s   TM  16  m/s   TM     C     C   TM     C   TM     C     C     C     %     %   TM   hPa    mm    mm    hr    hPa    hPa    hPa   TM    hPa   TM    %   hr   hr   hr         MAX   TM     mm     mm    hr     mm   TM     mm   TM     mm   TM     cm   TM     cm   TM     C     C     C     C     C\n"
    "20251105,174,0.6,545,20,2.8,1313,20,4.3,1313,10.0,20.7,1444,3.0,712,4.7,14.0,0.0,75.5,26.0,1446,8.6,-9.0,-9.0,-9.00,1002.1,1022.1,1024.4,52,1018.9,1539,1.1,9.3,10.6,-9.0,-9.00,-9.00,-9,-9.0,-9.0,-9.00,-9.0,-9,-9.0,-9,-9.0,-9,-9.0,-9,-9.0,-9,-99.0,-99.0,-99.0,-99.0,-99.0,\n"
    "#7777END\n"
)

# §1.3 (b): kma_sfcdd3.php, fixed-width rows (station 159 Busan), trimmed to the data lines.
ASOS_FIXED_WIDTH_REPLY = (
    "#START7777\n"
    "20230519 159  2.9  2544   7  4.9 1710   5 11.4 1240  17.9  21.8 1618  15.8  208  14.7  22.8  15.0  82.5  63.0 1611  16.7   4.0   2.8 -9.00  999.7 1007.8 1010.6 2138 1005.0  444  8.3  3.4 14.1 -9.0 13.99  1.98 1300    4.6    0.0  9.45    2.0    3    0.7    2   -9.0   -9   -9.0   -9   -9.0   -9  22.0  17.5  16.6  15.0  16.3\n"
    "20230520 159  2.7  2369  11  5.1 1244  25  7.3 2310  18.4  22.2 1312  14.5  533  13.3  25.4  11.7  73.0  57.0 1529  15.3   6.7   4.7 -9.00 1002.2 1010.3 1012.1  917 1009.0 1821  2.5 12.3 14.1 -9.0 29.59  3.67 1200   -9.0   -9.0 -9.00   -9.0   -9   -9.0   -9   -9.0   -9   -9.0   -9   -9.0   -9  21.9  17.7  16.8  15.0  16.3\n"
    "#7777END\n"
)

# §2.3: kma_pm10.php data lines, each from a different source.
PM10_LINES = (
    "202604202100,    90,   49,000000,,=",
    "202607011800,   108,   39,000000,,=",
    "202607012230,   100,    0,000000,,=",
)
