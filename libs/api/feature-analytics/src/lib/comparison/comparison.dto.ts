import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches, MaxLength, MinLength } from 'class-validator';

/** The most municipalities a group holds (the country has 342). */
export const MAX_GROUP_MUNICIPALITIES = 400;
const NAME = 'name must be 1 to 100 characters, not only spaces';

/** POST/PUT /comparison-groups: `{name, municipalities}` (unknown fields are refused). */
export class ComparisonGroupDto {
  @ApiProperty({ example: 'Middelgrote gemeenten', maxLength: 100 })
  @Matches(/\S/, { message: NAME })
  @MaxLength(100, { message: NAME })
  @MinLength(1, { message: NAME })
  @IsString({ message: NAME })
  name!: string;

  @ApiProperty({ type: [String], example: ['GM0193', 'GM0200'], maxItems: MAX_GROUP_MUNICIPALITIES })
  @Matches(/^GM\d{4}$/, { each: true, message: 'municipalities must be CBS codes such as GM0344' })
  @ArrayMaxSize(MAX_GROUP_MUNICIPALITIES, {
    message: `municipalities may hold at most ${MAX_GROUP_MUNICIPALITIES} codes`,
  })
  @ArrayMinSize(1, { message: 'municipalities must hold at least one CBS code' })
  @IsArray({ message: 'municipalities must be a list of CBS codes' })
  municipalities!: string[];
}

/** POST /saved-views: `{name, query}`, the query string of /vergelijken that reproduces the view. */
export class SavedViewDto {
  @ApiProperty({ example: 'Raadsrapportage Q3', maxLength: 100 })
  @Matches(/\S/, { message: NAME })
  @MaxLength(100, { message: NAME })
  @MinLength(1, { message: NAME })
  @IsString({ message: NAME })
  name!: string;

  @ApiProperty({ example: 'cohort=2026-Q3&clientTypes=zelfstandige', maxLength: 2000 })
  @MaxLength(2000, { message: 'query must be at most 2000 characters' })
  @IsString({ message: 'query must be the query string of the page (without ?)' })
  query!: string;
}
